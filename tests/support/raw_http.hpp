#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// A deliberately simple HTTP/1.1 client over POSIX sockets (optionally TLS through OpenSSL), written
/// without Beast so that tests check the server with an independent parser. It sends exactly the
/// bytes it is given, so tests can send malformed, partial, pipelined and trickled requests.
namespace bot::test {

using namespace std::chrono_literals;

struct Response {
    unsigned status = 0;
    std::map<std::string, std::string> headers;  ///< lower-case names; a repeated one's values joined by \n
    std::string body;
    std::string header(const std::string& name) const;
};

class RawConn {
public:
    /// Connects to 127.0.0.1:port; with `tls`, performs a TLS handshake (no certificate check).
    explicit RawConn(std::uint16_t port, bool tls = false);
    ~RawConn();
    RawConn(const RawConn&) = delete;
    RawConn& operator=(const RawConn&) = delete;

    bool connected() const { return fd_ >= 0; }
    /// Sends all bytes; false when the peer has closed or reset the connection.
    bool send(std::string_view bytes);
    /// Reads one response; nullopt on timeout, EOF or a malformed response. `head`: the answer to a
    /// HEAD request, which has no body whatever its Content-Length says.
    std::optional<Response> read_response(std::chrono::milliseconds timeout = 5000ms, bool head = false);
    /// True when the server closes the connection (EOF or reset) within `timeout`, discarding data.
    bool wait_closed(std::chrono::milliseconds timeout);

private:
    /// Reads more bytes into buffer_; 0 on EOF, -1 on error or timeout.
    long fill(std::chrono::milliseconds timeout);
    int fd_ = -1;
    struct Tls;
    std::unique_ptr<Tls> tls_;
    std::string buffer_;
};

/// Builds a request. Adds Host and Content-Length (when the body is not empty or method is POST).
std::string build_request(std::string_view method,
                          std::string_view target,
                          std::string_view body = {},
                          const std::vector<std::pair<std::string, std::string>>& headers = {},
                          bool close = false);

/// `value` as a form field's value (application/x-www-form-urlencoded): every byte but letters,
/// digits and "-_." as %XX.
std::string form_encode(std::string_view value);

/// One request on a fresh connection.
std::optional<Response> request(std::uint16_t port,
                                std::string_view method,
                                std::string_view target,
                                std::string_view body = {},
                                const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace bot::test
