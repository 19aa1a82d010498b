// Text in and out: unicode::clean is idempotent and leaves nothing invisible; every dialect's
// escaping leaves no markup character of its platform in what was typed.
#include "adapters/common/dialect.hpp"
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
    LIAISON_FUZZ_CHECK(clean.find("\u202E") == std::string::npos && clean.find("\u200B") == std::string::npos);
    LIAISON_FUZZ_CHECK(adapters::dialect::slack(text).find_first_of("<>") == std::string::npos);
    LIAISON_FUZZ_CHECK(adapters::dialect::telegram_html(text, true).find_first_of("<>\"") == std::string::npos);
    LIAISON_FUZZ_CHECK(adapters::dialect::wecom_markdown(text).find_first_of("*_`~[]<>#|\\") == std::string::npos);
    LIAISON_FUZZ_CHECK(adapters::dialect::wecom_text(text).find_first_of("<>") == std::string::npos);
    const auto post = adapters::dialect::feishu_post(text, "ou_x", "张三");
    LIAISON_FUZZ_CHECK(post["zh_cn"]["content"].size() >= 1);
    return 0;
}
