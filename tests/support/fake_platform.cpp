#include "tests/support/fake_platform.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <condition_variable>
#include <thread>

namespace bot::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kToken = asio::as_tuple(asio::use_awaitable);

}  // namespace

struct FakePlatform::Impl {
    asio::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    std::thread thread;
    mutable std::mutex mutex;
    mutable std::condition_variable cv;
    std::vector<RecordedRequest> recorded;
    Handler handler;

    asio::awaitable<void> accept() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(kToken);
            if (ec) {
                co_return;
            }
            asio::co_spawn(ioc, serve(std::move(socket)), [](std::exception_ptr) {});
        }
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            stream.expires_after(std::chrono::seconds(30));
            auto [ec, n] = co_await http::async_read(stream, buffer, req, kToken);
            if (ec) {
                co_return;
            }
            RecordedRequest r;
            r.method = std::string(req.method_string());
            r.target = std::string(req.target());
            for (const auto& f : req) {
                std::string name(f.name_string());
                for (char& c : name) {
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                }
                r.headers[name] = std::string(f.value());
            }
            r.body = req.body();
            Handler h;
            {
                const std::lock_guard lock(mutex);
                h = handler;
            }
            FakeReply reply = h ? h(r) : FakeReply{};
            {
                const std::lock_guard lock(mutex);
                recorded.push_back(std::move(r));
            }
            cv.notify_all();
            if (reply.delay.count() > 0) {
                asio::steady_timer t(ioc, reply.delay);
                auto [tec] = co_await t.async_wait(kToken);
                (void)tec;
            }
            http::response<http::string_body> res{static_cast<http::status>(reply.status), 11};
            res.set(http::field::content_type, "application/json");
            for (const auto& [name, value] : reply.headers) {
                res.set(name, value);
            }
            res.body() = reply.body;
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            auto [wec, wn] = co_await http::async_write(stream, res, kToken);
            if (wec || !req.keep_alive()) {
                co_return;
            }
        }
    }
};

FakePlatform::FakePlatform(Handler handler) : impl_(std::make_unique<Impl>()) {
    impl_->handler = std::move(handler);
    const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen();
    asio::co_spawn(impl_->ioc, impl_->accept(), [](std::exception_ptr) {});
    impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

FakePlatform::~FakePlatform() {
    impl_->ioc.stop();
    impl_->thread.join();
}

std::uint16_t FakePlatform::port() const {
    return impl_->acceptor.local_endpoint().port();
}

std::string FakePlatform::base_url() const {
    return "http://127.0.0.1:" + std::to_string(port());
}

void FakePlatform::set_handler(Handler handler) {
    const std::lock_guard lock(impl_->mutex);
    impl_->handler = std::move(handler);
}

std::vector<RecordedRequest> FakePlatform::requests() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->recorded;
}

bool FakePlatform::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(impl_->mutex);
    return impl_->cv.wait_for(lock, timeout, [&] { return impl_->recorded.size() >= n; });
}

}  // namespace bot::test
