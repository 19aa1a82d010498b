#include "tests/support/raw_http.hpp"

#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace bot::test {

struct RawConn::Tls {
    SSL_CTX* ctx = nullptr;
    SSL* ssl = nullptr;
    ~Tls() {
        if (ssl != nullptr) {
            SSL_free(ssl);
        }
        if (ctx != nullptr) {
            SSL_CTX_free(ctx);
        }
    }
};

std::string Response::header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

RawConn::RawConn(std::uint16_t port, bool tls) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd_);
        fd_ = -1;
        return;
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (tls) {
        tls_ = std::make_unique<Tls>();
        tls_->ctx = SSL_CTX_new(TLS_client_method());
        tls_->ssl = SSL_new(tls_->ctx);
        SSL_set_fd(tls_->ssl, fd_);
        SSL_ctrl(tls_->ssl,
                 SSL_CTRL_SET_TLSEXT_HOSTNAME,
                 TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>("localhost"));
        if (SSL_connect(tls_->ssl) != 1) {
            tls_.reset();
            ::close(fd_);
            fd_ = -1;
        }
    }
}

RawConn::~RawConn() {
    tls_.reset();
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

bool RawConn::send(std::string_view bytes) {
    while (!bytes.empty() && fd_ >= 0) {
        const long n = tls_ ? SSL_write(tls_->ssl, bytes.data(), static_cast<int>(bytes.size()))
                            : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return fd_ >= 0;
}

long RawConn::fill(std::chrono::milliseconds timeout) {
    if (fd_ < 0) {
        return 0;
    }
    if (!(tls_ && SSL_pending(tls_->ssl) > 0)) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
            return -1;  // timeout
        }
    }
    char buf[16384];
    const long n = tls_ ? SSL_read(tls_->ssl, buf, sizeof buf) : ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
        buffer_.append(buf, static_cast<std::size_t>(n));
        return n;
    }
    return 0;  // EOF, reset or TLS error: the connection is gone
}

std::optional<Response> RawConn::read_response(std::chrono::milliseconds timeout, bool head_request) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto left = [&] {
        return std::max(0ms,
                        std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now()));
    };
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (fill(left()) <= 0) {
            return std::nullopt;
        }
    }
    Response r;
    const std::string head = buffer_.substr(0, end);
    std::size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
        return std::nullopt;
    }
    r.status = static_cast<unsigned>(std::stoul(status_line.substr(9, 3)));
    while (line_end != std::string::npos) {
        const std::size_t start = line_end + 2;
        line_end = head.find("\r\n", start);
        const std::string line =
            head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
        const auto colon = line.find(':');
        if (colon == std::string::npos) {
            continue;
        }
        std::string name = line.substr(0, colon);
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') {
            value.erase(0, 1);
        }
        // A header sent more than once (Set-Cookie) keeps every value, one per line.
        auto& into = r.headers[name];
        into += (into.empty() ? "" : "\n") + value;
    }
    const std::size_t length =
        r.headers.count("content-length") != 0 && !head_request ? std::stoul(r.headers["content-length"]) : 0;
    buffer_.erase(0, end + 4);
    while (buffer_.size() < length) {
        if (fill(left()) <= 0) {
            return std::nullopt;
        }
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
}

bool RawConn::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() < 0) {
            return false;
        }
        const long n = fill(left);
        if (n == 0) {
            return true;
        }
        if (n < 0) {
            return false;
        }
        buffer_.clear();
    }
}

std::string build_request(std::string_view method,
                          std::string_view target,
                          std::string_view body,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          bool close) {
    std::string out;
    out += method;
    out += ' ';
    out += target;
    out += " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    bool has_length = false;
    for (const auto& [name, value] : headers) {
        out += name + ": " + value + "\r\n";
        has_length = has_length || name == "Content-Length" || name == "Transfer-Encoding";
    }
    if (!has_length && (!body.empty() || method == "POST")) {
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    if (close) {
        out += "Connection: close\r\n";
    }
    out += "\r\n";
    out += body;
    return out;
}

std::optional<Response> request(std::uint16_t port,
                                std::string_view method,
                                std::string_view target,
                                std::string_view body,
                                const std::vector<std::pair<std::string, std::string>>& headers) {
    RawConn c(port);
    if (!c.connected() || !c.send(build_request(method, target, body, headers, true))) {
        return std::nullopt;
    }
    return c.read_response();
}

std::string form_encode(std::string_view value) {
    std::string out;
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

}  // namespace bot::test
