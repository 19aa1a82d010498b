#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace bot::test {

struct RecordedRequest {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  ///< lower-case names
    std::string body;
};

struct FakeReply {
    unsigned status = 200;
    std::string body = R"({"ok":true})";
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds delay{0};  ///< answer this late (slow platform)
};

/// A platform API on 127.0.0.1, port 0, on its own thread: records every request and answers with
/// the handler's reply (default 200 {"ok":true}). Keep-alive like the real APIs.
class FakePlatform {
public:
    using Handler = std::function<FakeReply(const RecordedRequest&)>;
    explicit FakePlatform(Handler handler = {});
    ~FakePlatform();
    FakePlatform(const FakePlatform&) = delete;
    FakePlatform& operator=(const FakePlatform&) = delete;

    std::string base_url() const;
    std::uint16_t port() const;
    void set_handler(Handler handler);
    std::vector<RecordedRequest> requests() const;
    /// Waits until at least `n` requests were recorded; false on timeout.
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace bot::test
