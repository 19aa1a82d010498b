// Every adapter's verify + parse, with the input as the body of a correctly signed (and, where
// the platform encrypts, encrypted) request, so that parsing is reached; then the answer and a
// reply to the parsed event are built. The first byte picks the platform, among those of the
// registry that receive messages.
#include "tests/fuzz/fuzz.hpp"
#include "tests/support/signed_requests.hpp"

#include <string>

namespace {

using namespace bot;

const TimePoint kNow{std::chrono::seconds(1'800'000'000)};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string body(fuzz_bytes(data + 1, size - 1));
    // The platforms of the registry that receive messages (tests/support/signed_requests.hpp).
    static const auto platforms = test::receiving_platforms();
    const auto& platform = *platforms[data[0] % platforms.size()];
    const auto adapter = platform.make();
    const auto outcome = adapter->on_webhook(platform.request(*adapter, body), kNow);
    if (!outcome || !outcome->event) {
        return 0;
    }
    const InboundEvent& e = *outcome->event;
    LIAISON_FUZZ_CHECK(e.text.size() <= kMaxTextBytes);
    LIAISON_FUZZ_CHECK(!e.dedupe_key.empty());
    const Message reply{.chat_id = e.chat_id,
                        .mention_user_id = e.user_id,
                        .mention_name = e.user_name,
                        .text = e.text,
                        .bot_id = e.bot_id};
    (void)adapter->acknowledge(e, false, {reply});
    (void)adapter->send_request(reply, e.reply_context, "token", kNow);
    return 0;
}
