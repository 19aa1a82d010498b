#include "bot/net/server.hpp"

#include "bot/core/event.hpp"
#include "bot/core/log.hpp"
#include "bot/net/async_store.hpp"
#include "bot/net/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <list>
#include <random>
#include <stdexcept>

namespace bot::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr auto kToken = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::chrono::milliseconds kReadyDeadline{2000};

/// The one place that maps domain errors to HTTP statuses.
unsigned status_for(errc e) {
    switch (e) {
        case errc::bad_signature:
        case errc::stale_request:
            return 401;
        case errc::malformed:
        case errc::invalid_argument:
            return 400;
        case errc::payload_too_large:
            return 413;
        case errc::unknown_bot:
        case errc::not_found:
            return 404;
        case errc::method_not_allowed:
            return 405;
        case errc::store_failure:
        case errc::store_closed:
        case errc::store_timeout:
            return 503;
        case errc::ok:
            return 200;
    }
    return 500;
}

void log_exception(std::string_view what, std::exception_ptr e) {
    if (!e) {
        return;
    }
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& x) {
        log::error("http").kv("event", "coroutine_failed").kv("where", what).kv("reason", x.what());
    } catch (...) {
        log::error("http").kv("event", "coroutine_failed").kv("where", what);
    }
}

bool valid_request_id(std::string_view id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    for (const char c : id) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.')) {
            return false;
        }
    }
    return true;
}

/// The parsed request as routes and adapters see it: header names lower-case, the body moved out.
HttpRequest to_request(http::request<http::string_body>& req, const std::string& remote) {
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.remote = remote;
    for (const auto& field : req) {
        request.headers.emplace_back(lower_header_name(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(req.body());
    return request;
}

struct Reply {
    Reply() = default;
    Reply(HttpResponse r, std::string_view rt) : response(std::move(r)), route(rt) {}

    HttpResponse response;
    std::string_view route;
    /// A webhook's event, for the request's access log line: its bot, its key, and whether it
    /// was a platform's retry of one already committed (one line per request, not two).
    std::string bot_id;
    std::string event_key;
    bool duplicate = false;
};

HttpResponse error_response(unsigned status, std::string_view reason, std::string_view request_id) {
    return HttpResponse::error(status, reason, request_id);
}

HttpResponse method_not_allowed(std::string_view request_id, std::string_view allow) {
    HttpResponse r = error_response(405, "method not allowed", request_id);
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

}  // namespace

/// Shared by the Server and every coroutine it spawned: a connection's frame keeps it alive, so
/// frames destroyed with the io_context (after a second signal stopped it) never touch a dead
/// connection list. `detached` (set when the Server goes) silences the stop callback then.
struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
    struct Conn {
        beast::tcp_stream* lowest = nullptr;
        bool idle = false;
        bool evicted = false;  ///< closed to make room for a new connection
    };

    Impl(asio::io_context& io, ServerOptions o, ServerServices s)
        : ioc(io), opt(std::move(o)), svc(s), acceptor(io), grace(io) {
        std::random_device rd;
        char buf[16];
        std::snprintf(buf, sizeof buf, "%06x", rd() & 0xffffffU);
        id_prefix = buf;
    }

    asio::io_context& ioc;
    ServerOptions opt;
    ServerServices svc;
    tcp::acceptor acceptor;
    std::optional<ssl::context> tls;
    std::list<Conn*> conns;
    bool stopping = false;
    bool detached = false;
    asio::steady_timer grace;
    std::function<void()> on_stopped;
    std::uint64_t next_request = 0;
    std::string id_prefix;

    std::uint16_t start();
    void shutdown(std::function<void()> done);
    void connection_gone();

    asio::awaitable<void> accept_loop(std::shared_ptr<Impl> self);
    asio::awaitable<void> reject(std::shared_ptr<Impl> self, tcp::socket socket);
    asio::awaitable<void> session(std::shared_ptr<Impl> self, tcp::socket socket);
    template <class Stream>
    asio::awaitable<void> serve(Stream& stream, Conn& conn, std::string remote);
    /// Reads the rest of a request into `parser` under one deadline; false when the connection
    /// is done (a framing error answered, or a read failed).
    template <class Stream>
    asio::awaitable<bool> read_request(Stream& stream,
                                       beast::flat_buffer& buffer,
                                       http::request_parser<http::string_body>& parser,
                                       const std::string& remote);
    /// A request that could not be read: answered (413, 431, 400) where it still can be.
    template <class Stream>
    asio::awaitable<void> read_failed(Stream& stream,
                                      error_code ec,
                                      std::string remote,
                                      std::size_t buffered);
    template <class Stream>
    asio::awaitable<void> fail_request(Stream& stream,
                                       unsigned status,
                                       std::string_view reason,
                                       std::string remote);
    template <class Stream>
    asio::awaitable<bool> write(Stream& stream,
                                HttpResponse response,
                                unsigned version,
                                bool keep_alive,
                                std::string request_id,
                                bool head = false);
    asio::awaitable<Reply> dispatch(HttpRequest request);
    /// Closes the oldest idle connection; false when none is idle.
    bool evict_idle();
    asio::awaitable<Reply> hook(HttpRequest request, std::string bot_id);
    /// An API or page request: answered at once, or once its unit of work has committed.
    asio::awaitable<Reply> call(const core::ApiHandler& handler,
                                const HttpRequest& request,
                                std::string_view route);
};

std::uint16_t Server::Impl::start() {
    if (opt.tls_cert_file && opt.tls_key_file) {
        tls.emplace(ssl::context::tls_server);
        tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        error_code ec;
        tls->use_certificate_chain_file(*opt.tls_cert_file, ec);
        if (ec) {
            throw std::runtime_error("cannot load TLS certificate '" + *opt.tls_cert_file +
                                     "': " + ec.message());
        }
        tls->use_private_key_file(*opt.tls_key_file, ssl::context::pem, ec);
        if (ec) {
            throw std::runtime_error("cannot load TLS key '" + *opt.tls_key_file + "': " + ec.message());
        }
    }
    error_code ec;
    const auto address = asio::ip::make_address(opt.host, ec);
    if (ec) {
        throw std::runtime_error("cannot listen on '" + opt.host + "': not an IP address");
    }
    const tcp::endpoint endpoint(address, opt.port);
    const std::string where = opt.host + ":" + std::to_string(opt.port);
    if (acceptor.open(endpoint.protocol(), ec); ec) {
        throw std::runtime_error("cannot open a socket for " + where + ": " + ec.message());
    }
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (acceptor.bind(endpoint, ec); ec) {
        throw std::runtime_error("cannot bind " + where + ": " + ec.message());
    }
    if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
        throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    }
    const auto port = acceptor.local_endpoint().port();
    asio::co_spawn(
        ioc, accept_loop(shared_from_this()), [](std::exception_ptr e) { log_exception("accept", e); });
    return port;
}

void Server::Impl::shutdown(std::function<void()> done) {
    if (stopping) {
        return;
    }
    stopping = true;
    on_stopped = std::move(done);
    error_code ec;
    acceptor.close(ec);
    std::size_t idle = 0;
    for (Conn* c : conns) {
        if (c->idle) {
            c->lowest->cancel();  // the pending read of the next request ends with operation_aborted
            ++idle;
        }
    }
    log::info("http").kv("event", "shutdown").kv("connections", conns.size()).kv("idle", idle);
    if (conns.empty()) {
        connection_gone();
        return;
    }
    grace.expires_after(opt.shutdown_grace);
    grace.async_wait([weak = weak_from_this()](error_code wait_ec) {
        const auto self = weak.lock();
        if (wait_ec || !self) {
            return;  // cancelled: every connection finished in time
        }
        log::warn("http").kv("event", "grace_expired").kv("closing", self->conns.size());
        for (Conn* c : self->conns) {
            c->lowest->close();
        }
    });
}

void Server::Impl::connection_gone() {
    if (stopping && !detached && conns.empty()) {
        grace.cancel();
        if (on_stopped) {
            auto f = std::move(on_stopped);
            on_stopped = nullptr;
            f();
        }
    }
}

namespace {

/// Why a request's framing is refused, if it is: a Transfer-Encoding other than exactly
/// `chunked`, Transfer-Encoding together with Content-Length, or on HTTP/1.1 no Host or two.
std::optional<std::string> framing_problem(const http::request<http::string_body>& req) {
    const auto te_count = req.count(http::field::transfer_encoding);
    if (te_count > 0) {
        if (te_count > 1 || !beast::iequals(req[http::field::transfer_encoding], "chunked")) {
            return "unsupported Transfer-Encoding (only chunked)";
        }
        if (req.count(http::field::content_length) > 0) {
            return "both Transfer-Encoding and Content-Length";
        }
    }
    if (req.version() >= 11 && req.count(http::field::host) != 1) {
        return "HTTP/1.1 needs exactly one Host header";
    }
    return std::nullopt;
}

}  // namespace

asio::awaitable<void> Server::Impl::accept_loop(std::shared_ptr<Impl> self) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(kToken);
        if (stopping) {
            co_return;
        }
        if (ec) {
            log::warn("http").kv("event", "accept_failed").kv("reason", ec.message());
            // Out of descriptors: back off instead of spinning.
            asio::steady_timer pause(ioc, std::chrono::milliseconds(50));
            auto [wait_ec] = co_await pause.async_wait(kToken);
            (void)wait_ec;
            continue;
        }
        if (conns.size() >= opt.max_connections && evict_idle()) {
            log::warn("http").kv("event", "idle_evicted").kv("max_connections", opt.max_connections);
        } else if (conns.size() >= opt.max_connections) {
            svc.metrics.connection_rejected();
            asio::co_spawn(ioc, reject(self, std::move(socket)), [](std::exception_ptr e) {
                log_exception("reject", e);
            });
            continue;
        }
        asio::co_spawn(
            ioc, session(self, std::move(socket)), [](std::exception_ptr e) { log_exception("session", e); });
    }
}

bool Server::Impl::evict_idle() {
    // Full: the oldest connection waiting between requests (or for its first byte) makes room, so
    // idle connections cannot lock new work — platform webhooks included — out.
    for (Conn* c : conns) {
        if (c->idle && !c->evicted && c->lowest != nullptr) {
            c->evicted = true;
            c->lowest->cancel();
            error_code ec;
            c->lowest->socket().shutdown(tcp::socket::shutdown_both, ec);
            return true;
        }
    }
    return false;
}

asio::awaitable<void> Server::Impl::reject(std::shared_ptr<Impl> self, tcp::socket socket) {
    (void)self;  // keeps the Impl alive while this frame exists
    beast::tcp_stream stream(std::move(socket));
    log::warn("http").kv("event", "connection_limit").kv("max_connections", opt.max_connections);
    HttpResponse r = error_response(503, "too many connections", "-");
    r.headers.emplace_back("Retry-After", "1");
    (void)co_await write(stream, std::move(r), 11, false, "-");
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Impl> self, tcp::socket socket) {
    Conn conn;
    conns.push_back(&conn);
    svc.metrics.connection_opened();
    struct Guard {
        Impl& self;
        Conn& conn;
        ~Guard() {
            self.conns.remove(&conn);
            self.svc.metrics.connection_closed();
            self.connection_gone();
        }
    } guard{*self, conn};

    error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    std::string remote = ec ? "unknown" : peer.address().to_string() + ":" + std::to_string(peer.port());
    beast::tcp_stream stream(std::move(socket));
    conn.lowest = &stream;

    if (!tls) {
        co_await serve(stream, conn, remote);
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        co_return;
    }
    beast::ssl_stream<beast::tcp_stream> secure(std::move(stream), *tls);
    conn.lowest = &beast::get_lowest_layer(secure);
    conn.lowest->expires_after(opt.read_timeout);
    auto [hs_ec] = co_await secure.async_handshake(ssl::stream_base::server, kToken);
    if (hs_ec) {
        log::debug("http")
            .kv("event", "tls_handshake_failed")
            .kv("remote", remote)
            .kv("reason", hs_ec.message());
        co_return;
    }
    co_await serve(secure, conn, remote);
    conn.lowest->expires_after(std::chrono::seconds(1));
    auto [sd_ec] = co_await secure.async_shutdown(kToken);
    (void)sd_ec;  // peers often close without close_notify
}

template <class Stream>
asio::awaitable<bool> Server::Impl::read_request(Stream& stream,
                                                 beast::flat_buffer& buffer,
                                                 http::request_parser<http::string_body>& parser,
                                                 const std::string& remote) {
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(opt.read_timeout);
    auto [header_ec, header_n] = co_await http::async_read_header(stream, buffer, parser, kToken);
    error_code ec = header_ec;
    if (!ec) {
        if (const auto why = framing_problem(parser.get())) {
            // Ambiguous framing (RFC 9112 §6.1, §6.3; §3.2 for Host): answered, then closed, so a
            // request hidden in the body is never read as the next one.
            svc.metrics.http_request("other", 400, 0);
            log::warn("http").kv("event", "bad_framing").kv("reason", *why).kv("remote", remote);
            (void)co_await write(stream, error_response(400, *why, "-"), parser.get().version(), false, "-");
            co_return false;
        }
    }
    if (!ec && !parser.is_done() && opt.upload_body_bytes > opt.max_body_bytes) {
        // The header was read under the larger limit of uploads; any other request has the usual
        // one (a declared length over it is refused here, a chunked body as it arrives).
        const auto& req = parser.get();
        const bool upload = req.method() == http::verb::post && req.target().starts_with(opt.upload_prefix);
        if (!upload) {
            if (parser.content_length().value_or(0) > opt.max_body_bytes) {
                ec = http::error::body_limit;
            } else {
                parser.body_limit(opt.max_body_bytes);
            }
        }
    }
    if (!ec && !parser.is_done()) {
        // A client that asked "Expect: 100-continue" waits for this before sending the body
        // (curl does for bodies over 1 KiB). An oversized body was refused above, unsent.
        if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            auto [continue_ec, continue_n] =
                co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()), kToken);
            if (continue_ec) {
                co_return false;
            }
        }
        auto [body_ec, body_n] = co_await http::async_read(stream, buffer, parser, kToken);
        ec = body_ec;
    }
    if (ec) {
        co_await read_failed(stream, ec, remote, buffer.size());
        co_return false;
    }
    co_return true;
}

template <class Stream>
asio::awaitable<void> Server::Impl::serve(Stream& stream, Conn& conn, std::string remote) {
    beast::flat_buffer buffer;
    auto& lowest = beast::get_lowest_layer(stream);
    bool first = true;
    for (;;) {
        // 1. Idle: wait for the first byte of the next request (unless pipelined bytes are buffered).
        //    Shutdown cancels this wait; a request that has started is never cut short by it.
        if (buffer.size() == 0) {
            if (stopping) {
                co_return;
            }
            conn.idle = true;
            // A connection that has sent nothing yet gets the read deadline, not the keep-alive one.
            lowest.expires_after(first ? std::min(opt.idle_timeout, opt.read_timeout) : opt.idle_timeout);
            first = false;
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kToken);
            conn.idle = false;
            if (ec) {
                co_return;  // idle timeout, peer closed, or shutdown
            }
            buffer.commit(n);
        }
        // 2. Read the whole request under one deadline: a client trickling bytes is cut off.
        http::request_parser<http::string_body> parser;
        parser.header_limit(opt.max_header_bytes);
        parser.body_limit(std::max(opt.max_body_bytes, opt.upload_body_bytes));
        if (!co_await read_request(stream, buffer, parser, remote)) {
            co_return;
        }
        const auto started = std::chrono::steady_clock::now();
        auto& req = parser.get();
        const unsigned version = req.version();
        const bool keep_alive = req.keep_alive();
        HttpRequest request = to_request(req, remote);
        const auto incoming_id = request.header("x-request-id");
        request.request_id = incoming_id && valid_request_id(*incoming_id)
                                 ? std::string(*incoming_id)
                                 : id_prefix + "-" + std::to_string(++next_request);

        const std::string request_id = request.request_id;
        const std::string method = request.method;
        const bool head = method == "HEAD";  // answered as GET, without the body
        if (head) {
            request.method = "GET";
        }
        Reply reply;
        const auto url = boost::urls::parse_origin_form(request.target);
        if (!url) {
            reply = {error_response(400, "malformed request target", request_id), "other"};
        } else {
            request.path = std::string(url->path());
            request.query = std::string(url->encoded_query());
            reply = co_await dispatch(std::move(request));
        }
        // 3. Answer; after a shutdown began, close the connection once this response is out.
        const unsigned status = reply.response.status;
        const bool keep = keep_alive && !stopping;
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        svc.metrics.http_request(reply.route, status, seconds);
        auto line = log::info("http");
        line.kv("req", request_id).kv("method", method).kv("route", reply.route).kv("status", status);
        if (!reply.event_key.empty()) {
            line.kv("bot", reply.bot_id).kv("key", reply.event_key).kv("duplicate", reply.duplicate);
        }
        line.kv("ms", seconds * 1000).kv("remote", remote);
        const bool written =
            co_await write(stream, std::move(reply.response), version, keep, request_id, head);
        if (!written || !keep) {
            co_return;
        }
    }
}

template <class Stream>
asio::awaitable<bool> Server::Impl::write(Stream& stream,
                                          HttpResponse response,
                                          unsigned version,
                                          bool keep_alive,
                                          std::string request_id,
                                          bool head) {
    http::response<http::string_body> res{static_cast<http::status>(response.status), version};
    res.set(http::field::server, "liaison");
    res.set(http::field::content_type, response.content_type);
    res.set("X-Request-Id", request_id);
    for (auto& [name, value] : response.headers) {
        if (!beast::iequals(name, "x-request-id")) {  // one id per response: the server's
            res.insert(name, value);
        }
    }
    res.body() = std::move(response.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(opt.write_timeout);
    if (head) {  // the GET's headers, Content-Length included, and no body
        http::response_serializer<http::string_body> sr{res};
        auto [ec, n] = co_await http::async_write_header(stream, sr, kToken);
        co_return !ec;
    }
    auto [ec, n] = co_await http::async_write(stream, res, kToken);
    co_return !ec;
}

template <class Stream>
asio::awaitable<void> Server::Impl::read_failed(Stream& stream,
                                                error_code ec,
                                                std::string remote,
                                                std::size_t buffered) {
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
        co_return;
    }
    if (ec == http::error::body_limit) {
        co_await fail_request(stream, 413, "payload too large", remote);
    } else if (ec == http::error::header_limit) {
        co_await fail_request(stream, 431, "request header fields too large", remote);
    } else if (ec == beast::error::timeout) {
        // basic_stream has already closed the socket: nothing can be answered.
        svc.metrics.http_request("other", 408, 0);
        log::warn("http").kv("event", "read_timeout").kv("remote", remote).kv("bytes", buffered);
    } else if (ec.category() == http::make_error_code(http::error::bad_method).category() ||
               ec == http::error::buffer_overflow) {
        co_await fail_request(stream, 400, "malformed request", remote);
    }
    // Socket errors: nothing to answer.
}

template <class Stream>
asio::awaitable<void> Server::Impl::fail_request(Stream& stream,
                                                 unsigned status,
                                                 std::string_view reason,
                                                 std::string remote) {
    const std::string id = id_prefix + "-" + std::to_string(++next_request);
    svc.metrics.http_request("other", status, 0);
    log::warn("http").kv("req", id).kv("status", status).kv("reason", reason).kv("remote", remote);
    const bool written = co_await write(stream, error_response(status, reason, id), 11, false, id);
    if (!written) {
        co_return;
    }
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        // Lingering close: stop sending, then drain what the client is still sending for a moment,
        // so that closing with unread bytes does not reset the connection before it reads the answer.
        error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        std::size_t drained = 0;
        std::array<char, 16 * 1024> sink{};
        stream.expires_after(kLingerTime);
        while (drained < kLingerBytes) {
            auto [read_ec, got] = co_await stream.async_read_some(asio::buffer(sink), kToken);
            if (read_ec) {
                break;
            }
            drained += got;
        }
    }
}

asio::awaitable<Reply> Server::Impl::dispatch(HttpRequest request) {
    const std::string& path = request.path;
    // The operational routes answer GET only; one place says so for all of them.
    static constexpr std::array<std::string_view, 3> kGetRoutes{"/healthz", "/readyz", "/metrics"};
    const auto get_route = std::find(kGetRoutes.begin(), kGetRoutes.end(), path);
    if (get_route != kGetRoutes.end() && request.method != "GET") {
        co_return Reply{method_not_allowed(request.request_id, "GET"), *get_route};
    }
    if (path == "/healthz") {
        co_return Reply{HttpResponse::text(200, "ok\n"), "/healthz"};
    }
    if (path == "/readyz") {
        store::Work ping = [](store::Tx& tx) {
            return tx.ping();
        };
        const result<void> ok = co_await run_unit(svc.store, std::move(ping), kReadyDeadline);
        if (!ok) {
            log::warn("http")
                .kv("req", request.request_id)
                .kv("event", "not_ready")
                .kv("reason", ok.error().message());
            co_return Reply{HttpResponse::text(503, "store unavailable\n"), "/readyz"};
        }
        co_return Reply{HttpResponse::text(200, "ready\n"), "/readyz"};
    }
    if (path == "/metrics") {
        HttpResponse r = HttpResponse::text(200, svc.metrics.render());
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        co_return Reply{std::move(r), "/metrics"};
    }
    if (path.starts_with("/api/") && svc.api) {
        co_return co_await call(svc.api, request, "/api/v1");
    }
    if ((path == "/app" || path.starts_with("/app/")) && svc.web) {
        co_return co_await call(svc.web, request, "/app");
    }
    constexpr std::string_view kHooks = "/hooks/";
    if (path.starts_with(kHooks)) {
        std::string bot_id = path.substr(kHooks.size());
        if (!bot_id.empty() && bot_id.find('/') == std::string::npos) {
            Reply reply = co_await hook(std::move(request), std::move(bot_id));
            co_return reply;
        }
    }
    co_return Reply{error_response(404, "not found", request.request_id), "other"};
}

asio::awaitable<Reply> Server::Impl::call(const core::ApiHandler& handler,
                                          const HttpRequest& request,
                                          std::string_view route) {
    core::ApiCall call = handler(request, svc.clock.now());
    // At most a few requests to another service first (a sign-in exchange has three at most).
    for (int asked = 0; call.fetch && call.then && asked < 8; ++asked) {
        result<core::Fetched> fetched = errc::store_closed;
        if (svc.fetch != nullptr) {
            auto answer = co_await svc.fetch->request(std::move(*call.fetch));
            fetched = answer ? result<core::Fetched>(core::Fetched{answer->status, std::move(answer->body)})
                             : result<core::Fetched>(answer.error());
        }
        if (!fetched) {
            log::warn("api")
                .kv("req", request.request_id)
                .kv("route", route)
                .kv("event", "fetch_failed")
                .kv("reason", fetched.error().message());
        }
        call = call.then(std::move(fetched));
    }
    if (call.fetch) {
        co_return Reply{error_response(502, "too many steps", request.request_id), route};
    }
    if (call.immediate) {
        co_return Reply{std::move(*call.immediate), route};
    }
    const result<void> committed = co_await run_unit(svc.store, std::move(call.work), opt.store_deadline);
    if (!committed) {
        log::error("api")
            .kv("req", request.request_id)
            .kv("route", route)
            .kv("event", "not_committed")
            .kv("reason", committed.error().message());
        co_return Reply{error_response(503, "temporarily unavailable, retry", request.request_id), route};
    }
    if (svc.on_queued) {
        svc.on_queued();
    }
    co_return Reply{std::move(*call.response), route};
}

asio::awaitable<Reply> Server::Impl::hook(HttpRequest request, std::string bot_id) {
    constexpr std::string_view kRoute = "/hooks/{bot}";
    if (request.method != "GET" && request.method != "POST") {
        co_return Reply{method_not_allowed(request.request_id, "GET, POST"), kRoute};
    }
    const auto it = svc.adapters.find(bot_id);
    if (it == svc.adapters.end()) {
        co_return Reply{error_response(404, "unknown bot", request.request_id), kRoute};
    }
    const Adapter& adapter = *it->second;
    const TimePoint now = svc.clock.now();
    // An adapter must not throw on any input (fuzz_adapters checks it); if one does, the request
    // is malformed, not the connection's end.
    result<WebhookOutcome> outcome = errc::malformed;
    try {
        outcome = adapter.on_webhook(request, now);
    } catch (const std::exception& x) {
        log::error("webhook")
            .kv("req", request.request_id)
            .kv("event", "adapter_threw")
            .kv("reason", x.what());
    }
    if (!outcome) {
        const auto e = static_cast<errc>(outcome.error().value());
        log::warn("webhook")
            .kv("req", request.request_id)
            .kv("bot", bot_id)
            .kv("platform", adapter.platform())
            .kv("rejected", outcome.error().message());
        co_return Reply{error_response(status_for(e), outcome.error().message(), request.request_id), kRoute};
    }
    if (!outcome->event) {
        co_return Reply{std::move(outcome->response), kRoute};
    }
    // The acknowledgement waits for the commit of everything the event caused.
    InboundEvent event = std::move(*outcome->event);
    auto processed = std::make_shared<core::EventResult>();
    store::Work work =
        svc.process(event,
                    now,
                    adapter.dedupe_ttl(),
                    adapter.sends() ? core::ReplyRoute::outbox : core::ReplyRoute::inline_reply,
                    processed);
    const result<void> committed = co_await run_unit(svc.store, std::move(work), opt.store_deadline);
    if (!committed) {
        log::error("webhook")
            .kv("req", request.request_id)
            .kv("bot", bot_id)
            .kv("event", "not_committed")
            .kv("reason", committed.error().message());
        co_return Reply{error_response(503, "temporarily unavailable, retry", request.request_id), kRoute};
    }
    core::log_committed(*processed);
    if (processed->queued > 0 && svc.on_queued) {
        svc.on_queued();  // wake the outbox worker
    }
    Reply reply{adapter.acknowledge(event, processed->duplicate, processed->replies), kRoute};
    reply.bot_id = std::move(bot_id);
    reply.event_key = std::move(event.dedupe_key);
    reply.duplicate = processed->duplicate;
    co_return reply;
}

Server::Server(asio::io_context& ioc, ServerOptions options, ServerServices services)
    : impl_(std::make_shared<Impl>(ioc, std::move(options), services)) {}

Server::~Server() {
    // Connections still suspended (the io_context was stopped by a second signal) keep the Impl
    // alive until the io_context destroys them; by then the stop callback's captures are gone.
    impl_->detached = true;
    impl_->stopping = true;
    impl_->on_stopped = nullptr;
    error_code ec;
    impl_->acceptor.close(ec);  // the accept loop ends (it sees `stopping`)
}

std::uint16_t Server::start() {
    return impl_->start();
}

void Server::shutdown(std::function<void()> on_stopped) {
    impl_->shutdown(std::move(on_stopped));
}

}  // namespace bot::net
