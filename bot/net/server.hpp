#pragma once

#include "bot/core/adapter.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/event.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/store.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace boost::asio {
class io_context;
}

namespace bot::net {

class HttpClient;

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  ///< 0: any free port (see Server::start's return value)
    std::size_t max_connections = 512;
    std::uint32_t max_header_bytes = 16 * 1024;
    std::uint32_t max_body_bytes = 256 * 1024;
    /// POSTs under `upload_prefix` (the pages' photos) may carry up to this many bytes instead
    /// (0: no exception); every other request keeps max_body_bytes.
    std::uint32_t upload_body_bytes = 0;
    std::string upload_prefix = "/app/upload";
    std::chrono::milliseconds read_timeout{10'000};    ///< a whole request must arrive within this
    std::chrono::milliseconds write_timeout{10'000};   ///< a whole response must be taken within this
    std::chrono::milliseconds idle_timeout{60'000};    ///< keep-alive connection with no request
    std::chrono::milliseconds shutdown_grace{5'000};   ///< in-flight requests get this long to finish
    std::chrono::milliseconds store_deadline{30'000};  ///< a webhook waits this long for its commit
    std::optional<std::string> tls_cert_file;          ///< PEM; TLS is on when both files are set
    std::optional<std::string> tls_key_file;
};

/// What the server needs from the rest of the application; all outlive the Server.
struct ServerServices {
    Metrics& metrics;
    store::Store& store;
    const AdapterMap& adapters;
    const Clock& clock;
    core::EventProcessor process;          ///< builds each event's unit of work
    std::function<void()> on_queued = {};  ///< called (I/O thread) after a commit that queued messages
    core::ApiHandler api = {};             ///< /api/v1/…; empty: 404
    core::ApiHandler web = {};             ///< the pages, /app and /app/…; empty: 404
    /// Performs the requests a page asks for before it answers (ApiCall::fetch: a platform's
    /// sign-in exchange); none: such a page is told the platform cannot be reached.
    HttpClient* fetch = nullptr;
};

/// HTTP/1.1 server (Boost.Beast, C++20 coroutines) with keep-alive, pipelining, size limits,
/// deadlines on every read and write, a connection limit, optional TLS and graceful shutdown.
/// Routes: GET /healthz, GET /readyz, GET /metrics, GET|POST /hooks/<bot-id>, /api/v1/… (services.api),
/// /app/… (services.web, the pages).
/// Everything runs on the io_context's thread; the store answers from its own thread.
class Server {
public:
    Server(boost::asio::io_context& ioc, ServerOptions options, ServerServices services);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds, listens and starts accepting. Returns the bound port. Throws std::runtime_error when
    /// the address cannot be bound or the TLS files cannot be loaded.
    std::uint16_t start();

    /// Graceful stop, on the io_context's thread: close the listener, close idle keep-alive
    /// connections, let in-flight requests finish (answered with Connection: close), and after the
    /// grace period close whatever is left. `on_stopped` runs once no connection is left.
    /// Idempotent.
    void shutdown(std::function<void()> on_stopped = {});

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;  ///< shared with the coroutines it spawns
};

}  // namespace bot::net
