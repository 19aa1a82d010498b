#include "bot/net/server.hpp"

#include "adapters/webhook/webhook_adapter.hpp"
#include "bot/net/http_client.hpp"
#include "bot/store/sqlite/store.hpp"
#include "tests/support/prometheus.hpp"
#include "tests/support/raw_http.hpp"
#include "tests/support/signing.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

namespace bot::net {
namespace {

using namespace std::chrono_literals;

/// The server alone, without a conversation: a unit of work that only deduplicates.
store::Work dedupe_only(InboundEvent event,
                        TimePoint now,
                        std::chrono::seconds ttl,
                        core::ReplyRoute /*route*/,
                        std::shared_ptr<core::EventResult> out) {
    return [event = std::move(event), now, ttl, out = std::move(out)](store::Tx& tx) -> result<void> {
        auto fresh = tx.events().remember(event.dedupe_key, now, now + ttl);
        if (!fresh) {
            return fresh.error();
        }
        out->duplicate = !*fresh;
        return {};
    };
}
using test::build_request;
using test::RawConn;

const std::string kSecret = "integration-secret";

ServerOptions fast_options() {
    ServerOptions o;
    o.port = 0;
    o.max_body_bytes = 4096;
    o.max_header_bytes = 2048;
    o.read_timeout = 400ms;
    o.write_timeout = 1000ms;
    o.idle_timeout = 400ms;
    o.shutdown_grace = 2000ms;
    return o;
}

class ServerTest : public ::testing::Test {
protected:
    void start(ServerOptions options = fast_options()) {
        store::SqliteOptions so;
        so.path = db_path();
        so.on_commit = [this](double s, std::size_t n, bool ok) {
            metrics.store_commit(s, n, ok);
        };
        store = std::make_unique<store::SqliteStore>(std::move(so));
        adapters.emplace("demo",
                         std::make_unique<adapters::webhook::WebhookAdapter>("demo", kSecret, 300s, 86400s));
        server = std::make_unique<Server>(
            ioc, options, ServerServices{metrics, *store, adapters, clock, dedupe_only});
        port = server->start();
        io_thread = std::thread([this] { ioc.run(); });
    }

    /// Graceful shutdown; returns once the io_context has run out of work.
    void stop() {
        if (io_thread.joinable()) {
            boost::asio::post(ioc, [this] { server->shutdown(); });
            io_thread.join();
        }
    }

    void TearDown() override {
        stop();
        if (store) {
            store->close();
        }
    }

    std::string db_path() const { return dir.file("liaison.db"); }

    bool event_committed(const std::string& key) const {
        return test::query(db_path(), "SELECT 1 FROM processed_events WHERE event_key = ?1", key) == "1\n";
    }

    std::optional<test::Response> get(const std::string& target) {
        return test::request(port, "GET", target);
    }

    test::TempDir dir;
    boost::asio::io_context ioc{1};
    Metrics metrics;
    SystemClock clock;
    std::unique_ptr<store::SqliteStore> store;
    AdapterMap adapters;
    std::unique_ptr<Server> server;
    std::uint16_t port = 0;
    std::thread io_thread;
};

TEST_F(ServerTest, HealthAndReadiness) {
    start();
    auto h = get("/healthz");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200u);
    EXPECT_EQ(h->body, "ok\n");
    EXPECT_FALSE(h->header("x-request-id").empty());
    auto r = get("/readyz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, "ready\n");
}

TEST_F(ServerTest, ReadinessFailsWhenTheStoreIsClosed) {
    start();
    store->close();
    auto r = get("/readyz");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503u);
    EXPECT_EQ(get("/healthz")->status, 200u) << "liveness does not depend on the store";
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
    start();
    RawConn c(port);
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(c.send(build_request("GET", "/healthz")));
        auto r = c.read_response();
        ASSERT_TRUE(r) << "request " << i;
        EXPECT_EQ(r->status, 200u);
        EXPECT_NE(r->header("connection"), "close");
    }
    EXPECT_EQ(metrics.open_connections(), 1);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
    start();
    RawConn c(port);
    ASSERT_TRUE(c.send(build_request("GET", "/healthz", {}, {{"X-Request-Id", "first"}}) +
                       build_request("GET", "/readyz", {}, {{"X-Request-Id", "second"}}) +
                       build_request("GET", "/nowhere", {}, {{"X-Request-Id", "third"}})));
    auto a = c.read_response();
    auto b = c.read_response();
    auto d = c.read_response();
    ASSERT_TRUE(a && b && d);
    EXPECT_EQ(a->status, 200u);
    EXPECT_EQ(a->header("x-request-id"), "first");
    EXPECT_EQ(b->body, "ready\n");
    EXPECT_EQ(b->header("x-request-id"), "second");
    EXPECT_EQ(d->status, 404u);
    EXPECT_EQ(d->header("x-request-id"), "third");
}

TEST_F(ServerTest, OversizedBodyGets413AndTheServerKeepsServing) {
    start();
    {
        RawConn c(port);
        const std::string body(64 * 1024, 'x');
        ASSERT_TRUE(c.send(
            build_request("POST", "/hooks/demo", {}, {{"Content-Length", std::to_string(body.size())}})));
        c.send(body);  // may fail once the server has answered and closed
        auto r = c.read_response();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 413u);
        EXPECT_EQ(r->header("connection"), "close");
    }
    {
        // Chunked bodies are limited while they stream in.
        RawConn c(port);
        std::string req = "POST /hooks/demo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 8; ++i) {
            req += "400\r\n" + std::string(1024, 'y') + "\r\n";
        }
        c.send(req);
        auto r = c.read_response();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 413u);
    }
    auto h = get("/healthz");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200u);
}

TEST_F(ServerTest, ExpectContinueIsAnsweredBeforeTheBody) {
    start();
    const std::string body = test::webhook_body("evt-continue");
    auto headers = test::webhook_headers(kSecret, body);
    headers.emplace_back("Expect", "100-continue");
    headers.emplace_back("Content-Length", std::to_string(body.size()));
    RawConn c(port);
    ASSERT_TRUE(c.send(build_request("POST", "/hooks/demo", {}, headers)));  // the head only
    auto interim = c.read_response(2000ms);
    ASSERT_TRUE(interim) << "no 100 Continue";
    EXPECT_EQ(interim->status, 100u);
    ASSERT_TRUE(c.send(body));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);

    // An oversized body is refused before the client sends it.
    RawConn big(port);
    ASSERT_TRUE(big.send(
        "POST /hooks/demo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 999999\r\n\r\n"));
    auto refused = big.read_response(2000ms);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 413u);
}

TEST_F(ServerTest, OversizedHeaderGets431) {
    start();
    RawConn c(port);
    c.send(build_request("GET", "/healthz", {}, {{"X-Big", std::string(4096, 'h')}}));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431u);
    EXPECT_EQ(get("/healthz")->status, 200u);
}

TEST_F(ServerTest, ClientTricklingBytesIsCutOffAtTheReadDeadline) {
    start();  // read_timeout 400 ms
    RawConn c(port);
    const std::string req = build_request("GET", "/healthz");
    const auto started = std::chrono::steady_clock::now();
    std::size_t sent = 0;
    bool closed = false;
    // One byte every 100 ms would take seconds for the whole request; stop when the server hangs up.
    while (sent < req.size() && !closed && std::chrono::steady_clock::now() - started < 5s) {
        if (!c.send(req.substr(sent, 1))) {
            break;
        }
        ++sent;
        closed = c.wait_closed(100ms);
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(closed || c.wait_closed(1000ms))
        << "the server closes a connection that misses the read deadline";
    EXPECT_LT(sent, req.size()) << "the request never completed";
    EXPECT_GE(elapsed, 300ms);
    EXPECT_LT(elapsed, 1500ms);
    EXPECT_EQ(get("/healthz")->status, 200u);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
    start();  // idle_timeout 400 ms
    RawConn c(port);
    c.send(build_request("GET", "/healthz"));
    ASSERT_TRUE(c.read_response());
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.wait_closed(3000ms));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_GE(elapsed, 300ms);
    EXPECT_LT(elapsed, 2000ms);
    // A connection that never sends anything is closed at the same deadline.
    RawConn silent(port);
    EXPECT_TRUE(silent.wait_closed(3000ms));
}

TEST_F(ServerTest, MalformedRequestsGet400AndNeverCrashTheServer) {
    start();
    const std::vector<std::string> garbage{
        "GARBAGE\r\n\r\n",
        "GET /healthz HTTP/9.9\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n",
        std::string("\x00\x01\x02\x03\r\n\r\n", 8),
        "POST /hooks/demo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        "POST /hooks/demo HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
        "POST /hooks/demo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
        "GET /hooks/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET http://[::1 HTTP/1.1\r\n\r\n",
        "G\xc3\xa9T / HTTP/1.1\r\n\r\n",
    };
    for (const auto& g : garbage) {
        RawConn c(port);
        ASSERT_TRUE(c.connected());
        c.send(g);
        auto r = c.read_response(2000ms);
        ASSERT_TRUE(r) << "no answer to: " << g;
        EXPECT_EQ(r->status, 400u) << g;
    }
    // Signed but broken JSON reaches the adapter and is a 400 too.
    const std::string body = "{\"event_id\": ";
    auto r = test::request(port, "POST", "/hooks/demo", body, test::webhook_headers(kSecret, body));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u);
    EXPECT_EQ(get("/healthz")->status, 200u);
}

TEST_F(ServerTest, UnknownRoutesAndMethods) {
    start();
    EXPECT_EQ(get("/nope")->status, 404u);
    EXPECT_EQ(get("/hooks/")->status, 404u);
    EXPECT_EQ(get("/hooks/demo/extra")->status, 404u);
    auto unknown_bot = test::request(port, "POST", "/hooks/ghost", "{}");
    ASSERT_TRUE(unknown_bot);
    EXPECT_EQ(unknown_bot->status, 404u);
    EXPECT_NE(unknown_bot->body.find("unknown bot"), std::string::npos);
    auto del = test::request(port, "DELETE", "/healthz");
    ASSERT_TRUE(del);
    EXPECT_EQ(del->status, 405u);
    EXPECT_EQ(del->header("allow"), "GET");
    auto put = test::request(port, "PUT", "/hooks/demo", "{}");
    ASSERT_TRUE(put);
    EXPECT_EQ(put->status, 405u);
    EXPECT_EQ(put->header("allow"), "GET, POST");
    EXPECT_EQ(get("/healthz?probe=1")->status, 200u) << "query strings do not change the route";
}

TEST_F(ServerTest, WebhookIsAcknowledgedAfterCommitAndRetriesAreDeduplicated) {
    start();
    const std::string body = test::webhook_body("evt-1");
    auto first = test::request(port, "POST", "/hooks/demo", body, test::webhook_headers(kSecret, body));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200u);
    EXPECT_NE(first->body.find(R"("duplicate":false)"), std::string::npos) << first->body;
    // The 200 arrived, so the dedupe key must already be visible to any other reader.
    EXPECT_TRUE(event_committed("webhook:demo:evt-1"));

    auto retry = test::request(port, "POST", "/hooks/demo", body, test::webhook_headers(kSecret, body));
    ASSERT_TRUE(retry);
    EXPECT_EQ(retry->status, 200u);
    EXPECT_NE(retry->body.find(R"("duplicate":true)"), std::string::npos) << retry->body;

    auto forged = test::request(port, "POST", "/hooks/demo", body, test::webhook_headers("wrong", body));
    ASSERT_TRUE(forged);
    EXPECT_EQ(forged->status, 401u);

    const std::string old_body = test::webhook_body("evt-old");
    auto stale =
        test::request(port,
                      "POST",
                      "/hooks/demo",
                      old_body,
                      test::webhook_headers(kSecret, old_body, std::chrono::system_clock::now() - 1h));
    ASSERT_TRUE(stale);
    EXPECT_EQ(stale->status, 401u);
    EXPECT_FALSE(event_committed("webhook:demo:evt-old"));
}

TEST_F(ServerTest, MetricsAreWellFormedAndCountWhatHappened) {
    start();
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(get("/healthz")->status, 200u);
    }
    ASSERT_EQ(get("/nope")->status, 404u);
    const std::string body = test::webhook_body("evt-m");
    ASSERT_EQ(test::request(port, "POST", "/hooks/demo", body, test::webhook_headers(kSecret, body))->status,
              200u);
    auto m = get("/metrics");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->status, 200u);
    EXPECT_NE(m->header("content-type").find("text/plain; version=0.0.4"), std::string::npos);
    const auto parsed = test::parse_prometheus(m->body);
    ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
    EXPECT_EQ(parsed.value("liaison_http_requests_total{route=\"/healthz\",status=\"200\"}"), 3);
    EXPECT_EQ(parsed.value("liaison_http_requests_total{route=\"other\",status=\"404\"}"), 1);
    EXPECT_EQ(parsed.value("liaison_http_requests_total{route=\"/hooks/{bot}\",status=\"200\"}"), 1);
    EXPECT_EQ(parsed.value("liaison_http_request_duration_seconds_count{route=\"/healthz\"}"), 3);
    EXPECT_EQ(parsed.value("liaison_http_open_connections"), 1) << "the /metrics connection itself";
    EXPECT_GE(parsed.value("liaison_store_commit_duration_seconds_count"), 1);
    EXPECT_GE(parsed.value("liaison_store_commit_batch_size_sum"), 1);
}

TEST_F(ServerTest, ConnectionLimitAnswers503AndRecovers) {
    auto o = fast_options();
    o.max_connections = 2;
    o.idle_timeout = 5000ms;
    o.read_timeout = 5000ms;
    start(o);
    // Two connections in the middle of a request: busy, not idle, so nothing can be evicted.
    auto a = std::make_unique<RawConn>(port);
    auto b = std::make_unique<RawConn>(port);
    a->send("GET /healthz HTTP/1.1\r\n");
    b->send("GET /healthz HTTP/1.1\r\n");
    for (int i = 0; i < 200 && metrics.open_connections() < 2; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_EQ(metrics.open_connections(), 2);
    std::this_thread::sleep_for(50ms);
    RawConn third(port);
    third.send(build_request("GET", "/healthz"));
    auto r = third.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503u);
    EXPECT_EQ(r->header("retry-after"), "1");
    a.reset();
    for (int i = 0; i < 200 && metrics.open_connections() > 1; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    auto h = get("/healthz");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200u);
}

TEST_F(ServerTest, IdleConnectionsCannotLockNewWorkOut) {
    auto o = fast_options();
    o.max_connections = 8;
    o.idle_timeout = 60000ms;
    o.read_timeout = 1500ms;
    start(o);
    // An attacker fills every slot with connections that send nothing.
    std::vector<std::unique_ptr<RawConn>> idle;
    for (int i = 0; i < 8; ++i) {
        idle.push_back(std::make_unique<RawConn>(port));
    }
    for (int i = 0; i < 200 && metrics.open_connections() < 8; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_EQ(metrics.open_connections(), 8);
    // New clients, a signed webhook included, are served: the oldest idle connections make room.
    for (int i = 0; i < 12; ++i) {
        const std::string body = R"({"event_id":"idle-)" + std::to_string(i) +
                                 R"(","chat":"c","user":"u","text":"hi"})";
        auto r = test::request(port, "POST", "/hooks/demo", body, test::webhook_headers(kSecret, body));
        ASSERT_TRUE(r) << "request " << i;
        EXPECT_EQ(r->status, 200u) << "request " << i << ": " << r->body;
    }
    EXPECT_TRUE(idle.front()->wait_closed(2000ms)) << "the oldest idle connection was closed";
    // A connection that never sends a byte is closed at the read deadline, not the keep-alive one.
    RawConn silent(port);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(silent.wait_closed(10000ms));
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5000ms);
}

TEST_F(ServerTest, AmbiguousFramingIsRefusedAndTheConnectionClosed) {
    start();
    const std::string hidden = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::vector<std::string> smuggling{
        "POST /hooks/demo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nContent-Length: " +
            std::to_string(hidden.size()) + "\r\n\r\n" + hidden,
        "POST /hooks/demo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity, chunked\r\nContent-Length: " +
            std::to_string(hidden.size()) + "\r\n\r\n" + hidden,
        "POST /hooks/demo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
        "0\r\n\r\n" + hidden,
        "POST /hooks/demo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n"
        "0\r\n\r\n" + hidden,
        "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + hidden,
        "GET /healthz HTTP/1.1\r\n\r\n" + hidden,
    };
    for (const auto& bytes : smuggling) {
        RawConn c(port);
        ASSERT_TRUE(c.connected());
        c.send(bytes);
        auto r = c.read_response(2000ms);
        ASSERT_TRUE(r) << "no answer to: " << bytes;
        EXPECT_EQ(r->status, 400u) << bytes;
        EXPECT_TRUE(c.wait_closed(2000ms)) << "the hidden request is never answered: " << bytes;
    }
    // HTTP/1.0 needs no Host; HEAD answers as GET without the body; a plain chunked body is fine.
    RawConn old(port);
    old.send("GET /healthz HTTP/1.0\r\n\r\n");
    auto r = old.read_response(2000ms);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
    RawConn head(port);
    head.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + build_request("GET", "/healthz"));
    auto h = head.read_response(2000ms, true);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200u);
    EXPECT_EQ(h->header("content-length"), "3") << "the GET's length";
    EXPECT_EQ(h->body, "");
    auto after = head.read_response(2000ms);
    ASSERT_TRUE(after) << "the connection goes on after a HEAD";
    EXPECT_EQ(after->body, "ok\n");
}

TEST_F(ServerTest, ShutdownClosesIdleConnectionsAndFinishesTheRequestInFlight) {
    auto o = fast_options();
    o.read_timeout = 5000ms;
    o.idle_timeout = 5000ms;
    start(o);
    RawConn idle(port);
    RawConn busy(port);
    const std::string body = test::webhook_body("evt-inflight");
    std::string req = build_request("POST", "/hooks/demo", body, test::webhook_headers(kSecret, body));
    ASSERT_TRUE(busy.send(req.substr(0, req.size() - 10)));  // headers and part of the body
    for (int i = 0; i < 200 && metrics.open_connections() < 2; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    std::this_thread::sleep_for(50ms);
    boost::asio::post(ioc, [this] { server->shutdown(); });
    EXPECT_TRUE(idle.wait_closed(2000ms)) << "idle keep-alive connection closed at shutdown";
    RawConn late(port);
    EXPECT_FALSE(late.connected()) << "the listener is closed at shutdown";
    ASSERT_TRUE(busy.send(req.substr(req.size() - 10)));
    auto r = busy.read_response(3000ms);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(event_committed("webhook:demo:evt-inflight"));
    io_thread.join();  // the io_context ran out of work: the server is fully stopped
}

TEST_F(ServerTest, ShutdownGracePeriodEndsAStuckRequest) {
    auto o = fast_options();
    o.read_timeout = 10000ms;
    o.shutdown_grace = 300ms;
    start(o);
    RawConn stuck(port);
    ASSERT_TRUE(stuck.send("POST /hooks/demo HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"));
    for (int i = 0; i < 200 && metrics.open_connections() < 1; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    std::this_thread::sleep_for(50ms);
    const auto started = std::chrono::steady_clock::now();
    boost::asio::post(ioc, [this] { server->shutdown(); });
    io_thread.join();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_TRUE(stuck.wait_closed(1000ms));
}

class TlsServerTest : public ServerTest {};

TEST_F(TlsServerTest, ServesHttpsWithConfiguredCertificate) {
    const std::string cert = dir.file("cert.pem");
    const std::string key = dir.file("key.pem");
    const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " +
                            key + " -out " + cert + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl is needed to make a test certificate";
    auto o = fast_options();
    o.tls_cert_file = cert;
    o.tls_key_file = key;
    start(o);
    RawConn c(port, true);
    ASSERT_TRUE(c.connected()) << "TLS handshake failed";
    ASSERT_TRUE(c.send(build_request("GET", "/healthz")));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
    ASSERT_TRUE(c.send(build_request("GET", "/readyz")));
    EXPECT_EQ(c.read_response()->status, 200u) << "keep-alive over TLS";
    // Plain HTTP on the TLS port is refused without harm.
    RawConn plain(port);
    plain.send(build_request("GET", "/healthz"));
    EXPECT_FALSE(plain.read_response(1000ms));
    RawConn again(port, true);
    again.send(build_request("GET", "/healthz"));
    EXPECT_EQ(again.read_response()->status, 200u);

    // The outbound HTTPS client verifies certificates: a self-signed one is refused, unless told not to.
    boost::asio::io_context client_ioc;
    HttpClient strict(client_ioc, ClientOptions{});
    ClientOptions lax_options;
    lax_options.verify_peer = false;
    HttpClient lax(client_ioc, lax_options);
    std::optional<result<ClientResponse>> refused;
    std::optional<result<ClientResponse>> accepted;
    const std::string url = "https://127.0.0.1:" + std::to_string(port) + "/healthz";
    boost::asio::co_spawn(client_ioc,
                          strict.request(OutboundRequest{"GET", url, {}, ""}),
                          [&](std::exception_ptr, result<ClientResponse> out) { refused = std::move(out); });
    boost::asio::co_spawn(client_ioc,
                          lax.request(OutboundRequest{"GET", url, {}, ""}),
                          [&](std::exception_ptr, result<ClientResponse> out) { accepted = std::move(out); });
    client_ioc.run_for(std::chrono::seconds(10));
    ASSERT_TRUE(refused && accepted);
    EXPECT_FALSE(*refused) << "a self-signed certificate must not verify";
    ASSERT_TRUE(*accepted) << accepted->error().message();
    EXPECT_EQ((*accepted)->status, 200u);
    EXPECT_EQ((*accepted)->body, "ok\n");
}

TEST(ServerStart, UnusableAddressesAreClearErrors) {
    boost::asio::io_context ioc;
    test::TempDir dir;
    Metrics metrics;
    SystemClock clock;
    store::SqliteOptions so;
    so.path = dir.file("x.db");
    store::SqliteStore store(so);
    AdapterMap adapters;
    ServerOptions o;
    o.host = "not-an-ip";
    Server bad(ioc, o, ServerServices{metrics, store, adapters, clock, dedupe_only});
    EXPECT_THROW(bad.start(), std::runtime_error);
    ServerOptions first;
    Server a(ioc, first, ServerServices{metrics, store, adapters, clock, dedupe_only});
    ServerOptions second;
    second.port = a.start();
    Server b(ioc, second, ServerServices{metrics, store, adapters, clock, dedupe_only});
    try {
        b.start();
        FAIL() << "binding a port in use must fail";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot bind"), std::string::npos) << e.what();
    }
    ServerOptions tls;
    tls.tls_cert_file = dir.file("missing-cert.pem");
    tls.tls_key_file = dir.file("missing-key.pem");
    Server c(ioc, tls, ServerServices{metrics, store, adapters, clock, dedupe_only});
    EXPECT_THROW(c.start(), std::runtime_error);
    store.close();
}

}  // namespace
}  // namespace bot::net
