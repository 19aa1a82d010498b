// Text in and out: unicode::clean is idempotent and leaves nothing invisible; every dialect's
// escaping leaves no markup character of its platform in what was typed; a doc made of the text
// splits into parts that each fit, losing and repeating nothing.
#include "adapters/common/dialect.hpp"
#include "bot/core/doc.hpp"
#include "bot/core/unicode.hpp"
#include "tests/fuzz/fuzz.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bot;
    const std::string_view text = fuzz_bytes(data, size);
    const std::string clean = unicode::clean(text);
    LIAISON_FUZZ_CHECK(unicode::clean(clean) == clean);
    for (const char c : clean) {
        const auto u = static_cast<unsigned char>(c);
        LIAISON_FUZZ_CHECK(u >= 0x20 || c == '\n' || c == '\t');
        LIAISON_FUZZ_CHECK(u != 0x7F);
    }
    LIAISON_FUZZ_CHECK(clean.find("\u202E") == std::string::npos &&
                       clean.find("\u200B") == std::string::npos);
    LIAISON_FUZZ_CHECK(adapters::dialect::slack(text).find_first_of("<>") == std::string::npos);
    LIAISON_FUZZ_CHECK(adapters::dialect::telegram_html(text, true).find_first_of("<>\"") ==
                       std::string::npos);
    LIAISON_FUZZ_CHECK(adapters::dialect::wecom_markdown(text).find_first_of("*_`~[]<>#|\\") ==
                       std::string::npos);
    LIAISON_FUZZ_CHECK(adapters::dialect::wecom_text(text).find_first_of("<>") == std::string::npos);
    const auto post = adapters::dialect::feishu_post(text, "ou_x", "张三");
    LIAISON_FUZZ_CHECK(post["zh_cn"]["content"].size() >= 1);
    LIAISON_FUZZ_CHECK(adapters::dialect::slack_mrkdwn(text).find_first_of("<>*_~`") == std::string::npos);
    LIAISON_FUZZ_CHECK(adapters::dialect::dingtalk_markdown(text).find_first_of("*_`~[]()<>#|\\") ==
                       std::string::npos);

    // The text as a doc: its first line the title, the others lines of one section.
    Doc doc;
    std::string original;
    {
        std::size_t start = 0;
        for (bool first = true;; first = false) {
            const auto end = clean.find('\n', start);
            std::string line =
                clean.substr(start, end == std::string::npos ? std::string::npos : end - start);
            original += line;
            if (first) {
                doc.title = std::move(line);
                doc.sections.emplace_back();
            } else {
                doc.sections.back().lines.push_back(std::move(line));
            }
            if (end == std::string::npos) {
                break;
            }
            start = end + 1;
        }
    }
    constexpr std::size_t kMax = 200;
    const auto measure = [](const Doc& d) {
        return adapters::dialect::wecom_markdown(d).size();
    };
    std::string joined;
    for (const auto& part : split(doc, measure, kMax)) {
        std::size_t pieces = part.title.empty() ? 0 : 1;
        joined += part.title;
        for (const auto& s : part.sections) {
            for (const auto& l : s.lines) {
                // Pieces of the original: each begins at a character, never inside one.
                LIAISON_FUZZ_CHECK(l.empty() || (static_cast<unsigned char>(l[0]) & 0xC0) != 0x80);
                joined += l;
                ++pieces;
            }
        }
        // A part fits, unless it is one piece that cannot be cut any smaller (one character).
        LIAISON_FUZZ_CHECK(measure(part) <= kMax || pieces <= 1);
    }
    LIAISON_FUZZ_CHECK(joined == original);
    return 0;
}
