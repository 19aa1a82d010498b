#pragma once

#include "bot/core/adapter.hpp"
#include "bot/core/errors.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace bot::net {

struct ClientResponse {
    unsigned status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  ///< lower-case names
    std::string body;
};

struct ClientOptions {
    std::chrono::milliseconds timeout{10'000};  ///< the whole request: connect, TLS, write, read
    std::size_t max_body_bytes = 4 * 1024 * 1024;
    std::size_t max_idle_per_host = 4;  ///< keep-alive connections kept for reuse
    bool verify_peer = true;            ///< certificate and host name checks (TLS)
};

/// HTTP/1.1 client for platform APIs (Beast + OpenSSL): http:// and https:// with SNI and
/// certificate + host-name verification, a deadline on every request, keep-alive reuse per host.
/// Runs on the io_context's thread; one request at a time per call, many calls may overlap.
class HttpClient {
public:
    HttpClient(boost::asio::io_context& ioc, ClientOptions options);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// Performs `request`. Errors: errc::invalid_argument for a URL it cannot use; network and
    /// TLS errors as their error_code (a timeout is boost::beast::error::timeout). A reused
    /// connection that turns out closed is retried once on a fresh one.
    boost::asio::awaitable<result<ClientResponse>> request(OutboundRequest request);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace bot::net
