// The ceiling: a minimal Beast HTTP/1.1 server that answers every request 200 {"ok":true} and does
// no work at all — no signature, no parsing, no store. One io_context and one SO_REUSEPORT acceptor
// per thread. The load generator measures it with the same requests it sends to liaison-bot, so
// pipeline ÷ ceiling says what Liaison's work costs on this machine.
//
// Usage: ceiling_server [--port P] [--threads T]    prints "listening on http://127.0.0.1:P"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

asio::awaitable<void> session(tcp::socket socket) {
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    socket.set_option(tcp::no_delay(true), ec);
    for (;;) {
        http::request<http::string_body> req;
        co_await http::async_read(socket, buffer, req, token);
        if (ec) {
            break;
        }
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/json");
        res.body() = R"({"ok":true})";
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_await http::async_write(socket, res, token);
        if (ec || !res.keep_alive()) {
            break;
        }
    }
    socket.shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> listen(tcp::acceptor& acceptor) {
    for (;;) {
        boost::system::error_code ec;
        tcp::socket s = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (ec == asio::error::operation_aborted) {
                co_return;
            }
            continue;
        }
        asio::co_spawn(acceptor.get_executor(), session(std::move(s)), asio::detached);
    }
}

}  // namespace

int main(int argc, char** argv) {
    unsigned short port = 0;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--port") {
            port = static_cast<unsigned short>(std::stoi(argv[i + 1]));
        } else if (a == "--threads") {
            threads = static_cast<unsigned>(std::stoi(argv[i + 1]));
        }
    }
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    for (unsigned t = 0; t < threads; ++t) {
        contexts.push_back(std::make_unique<asio::io_context>(1));
        auto a = std::make_unique<tcp::acceptor>(*contexts.back());
        const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
        a->open(ep.protocol());
        a->set_option(asio::socket_base::reuse_address(true));
        a->set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
        a->bind(ep);
        a->listen(asio::socket_base::max_listen_connections);
        port = a->local_endpoint().port();  // the first picks it; the others share it
        acceptors.push_back(std::move(a));
    }
    for (unsigned t = 0; t < threads; ++t) {
        asio::co_spawn(*contexts[t], listen(*acceptors[t]), asio::detached);
    }
    asio::signal_set signals(*contexts[0], SIGINT, SIGTERM);
    signals.async_wait([&](auto, int) {
        for (auto& c : contexts) {
            c->stop();
        }
    });
    std::cout << "listening on http://127.0.0.1:" << port << " (" << threads << " threads)" << std::endl;
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
        pool.emplace_back([&, t] { contexts[t]->run(); });
    }
    contexts[0]->run();
    for (auto& th : pool) {
        th.join();
    }
    return 0;
}
