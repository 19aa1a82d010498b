#include "bot/net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <map>

namespace bot::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr auto kToken = asio::as_tuple(asio::use_awaitable);

struct Target {
    bool tls = false;
    std::string host;
    std::string port;
    std::string path;  ///< path and query
    std::string key() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

std::optional<Target> parse_url(const std::string& url) {
    const auto u = boost::urls::parse_absolute_uri(url);
    if (!u) {
        return std::nullopt;
    }
    Target t;
    const std::string scheme(u->scheme());
    if (scheme != "http" && scheme != "https") {
        return std::nullopt;
    }
    t.tls = scheme == "https";
    t.host = std::string(u->host_address());
    if (t.host.empty()) {
        return std::nullopt;
    }
    t.port = u->has_port() ? std::string(u->port()) : (t.tls ? "443" : "80");
    t.path = std::string(u->encoded_path());
    if (t.path.empty()) {
        t.path = "/";
    }
    if (u->has_query()) {
        t.path += "?" + std::string(u->encoded_query());
    }
    return t;
}

/// One connection: plain or TLS.
struct Conn {
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;
    beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
};

}  // namespace

struct HttpClient::Impl {
    Impl(asio::io_context& io, ClientOptions o) : ioc(io), opt(o), tls(ssl::context::tls_client) {
        tls.set_default_verify_paths();
        tls.set_verify_mode(opt.verify_peer ? ssl::verify_peer : ssl::verify_none);
        tls.set_options(ssl::context::no_sslv2 | ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                        ssl::context::no_tlsv1_1);
    }

    asio::io_context& ioc;
    ClientOptions opt;
    ssl::context tls;
    std::map<std::string, std::vector<std::unique_ptr<Conn>>> idle;

    asio::awaitable<result<std::unique_ptr<Conn>>> connect(const Target& t);
    template <class Stream>
    asio::awaitable<result<ClientResponse>> exchange(
        Stream& stream, Conn& conn, const Target& t, const OutboundRequest& req, bool& keep);
};

asio::awaitable<result<std::unique_ptr<Conn>>> HttpClient::Impl::connect(const Target& t) {
    tcp::resolver resolver(ioc);
    auto [rec, endpoints] = co_await resolver.async_resolve(t.host, t.port, kToken);
    if (rec) {
        co_return result<std::unique_ptr<Conn>>(rec);
    }
    auto conn = std::make_unique<Conn>();
    if (t.tls) {
        conn->secure = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, tls);
        // SNI, and the certificate must name this host.
        if (SSL_ctrl(conn->secure->native_handle(),
                     SSL_CTRL_SET_TLSEXT_HOSTNAME,
                     TLSEXT_NAMETYPE_host_name,
                     const_cast<char*>(t.host.c_str())) != 1) {
            co_return result<std::unique_ptr<Conn>>(error_code(asio::error::invalid_argument));
        }
        conn->secure->set_verify_callback(ssl::host_name_verification(t.host));
    } else {
        conn->plain = std::make_unique<beast::tcp_stream>(ioc);
    }
    conn->lowest().expires_after(opt.timeout);
    auto [cec, ep] = co_await conn->lowest().async_connect(endpoints, kToken);
    if (cec) {
        co_return result<std::unique_ptr<Conn>>(cec);
    }
    if (t.tls) {
        auto [hec] = co_await conn->secure->async_handshake(ssl::stream_base::client, kToken);
        if (hec) {
            co_return result<std::unique_ptr<Conn>>(hec);
        }
    }
    co_return result<std::unique_ptr<Conn>>(std::move(conn));
}

template <class Stream>
asio::awaitable<result<ClientResponse>> HttpClient::Impl::exchange(
    Stream& stream, Conn& conn, const Target& t, const OutboundRequest& req, bool& keep) {
    http::request<http::string_body> r{http::string_to_verb(req.method), t.path, 11};
    if (r.method() == http::verb::unknown) {
        co_return result<ClientResponse>(errc::invalid_argument);
    }
    r.set(http::field::host, t.host);
    r.set(http::field::user_agent, "liaison-bot");
    for (const auto& [name, value] : req.headers) {
        r.set(name, value);
    }
    r.body() = req.body;
    r.keep_alive(true);
    r.prepare_payload();
    conn.lowest().expires_after(opt.timeout);
    auto [wec, wn] = co_await http::async_write(stream, r, kToken);
    if (wec) {
        co_return result<ClientResponse>(wec);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(opt.max_body_bytes);
    auto [rec, rn] = co_await http::async_read(stream, conn.buffer, parser, kToken);
    if (rec) {
        co_return result<ClientResponse>(rec);
    }
    auto& res = parser.get();
    ClientResponse out;
    out.status = res.result_int();
    for (const auto& f : res) {
        out.headers.emplace_back(lower_header_name(f.name_string()), std::string(f.value()));
    }
    out.body = std::move(res.body());
    keep = res.keep_alive();
    co_return result<ClientResponse>(std::move(out));
}

HttpClient::HttpClient(asio::io_context& ioc, ClientOptions options)
    : impl_(std::make_unique<Impl>(ioc, options)) {}

HttpClient::~HttpClient() = default;

asio::awaitable<result<ClientResponse>> HttpClient::request(OutboundRequest req) {
    const auto target = parse_url(req.url);
    if (!target) {
        co_return result<ClientResponse>(errc::invalid_argument);
    }
    const std::string key = target->key();
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::unique_ptr<Conn> conn;
        bool reused = false;
        auto& pool = impl_->idle[key];
        if (!pool.empty()) {
            conn = std::move(pool.back());
            pool.pop_back();
            reused = true;
        } else {
            auto fresh = co_await impl_->connect(*target);
            if (!fresh) {
                co_return result<ClientResponse>(fresh.error());
            }
            conn = std::move(*fresh);
        }
        bool keep = false;
        result<ClientResponse> r = errc::invalid_argument;
        if (conn->secure) {
            r = co_await impl_->exchange(*conn->secure, *conn, *target, req, keep);
        } else {
            r = co_await impl_->exchange(*conn->plain, *conn, *target, req, keep);
        }
        if (!r && reused && attempt == 0) {
            continue;  // the server closed the idle connection meanwhile: once more on a new one
        }
        if (r && keep && impl_->idle[key].size() < impl_->opt.max_idle_per_host) {
            impl_->idle[key].push_back(std::move(conn));
        }
        co_return r;
    }
    co_return result<ClientResponse>(errc::store_failure);  // not reached
}

}  // namespace bot::net
