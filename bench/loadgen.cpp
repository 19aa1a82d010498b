// Load generator: officers filling complete weekly reports through a platform's real wire format
// (Slack: HMAC-signed JSON; WeCom AI bot: signed, AES-encrypted JSON), over C keep-alive
// connections on loopback, with a fake platform API in the same process receiving the bot's
// replies. Reports throughput, acknowledgement latency, reply latency and errors; with --db, checks
// that every acknowledged message's effects are in the database and every report exists once.
// Officer i starts at step i mod 7 of the conversation (reached in an untimed warm-up), so that
// the steps are mixed as they are among people, not taken by every officer at once.
//
//   loadgen setup DIR --officers N --groups M --fake-port F
//       writes DIR/liaison.jsonc and DIR/roster.jsonc for `liaison-bot serve`
//   loadgen run --port P --platform slack|wecom --officers N --groups M --connections C
//               [--seconds S] [--messages K] [--rate R] [--fake-port F] [--db FILE] [--label L]
//       --rate: messages per second in total (open loop); default: as fast as answers come
//       --fake-port: receive the replies there (0: none expected, e.g. the ceiling or Bolt)
//
// Prints one line "RESULT key=value …" for bench/run, after a human-readable summary.
#include "adapters/slack/slack_adapter.hpp"
#include "adapters/wecom/wecom_crypto.hpp"
#include "bench/serve_config.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// Secrets of the benchmark configuration (bench/run exports them for liaison-bot and Bolt).
const std::string kSlackSecret = "bench-slack-signing-secret";
const std::string kWeComToken = "benchtoken";
const std::string kWeComKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

struct Options {
    std::string mode;
    std::string dir;
    unsigned short port = 0;
    unsigned short fake_port = 0;
    std::string platform = "slack";
    int officers = 200;
    int groups = 10;
    int connections = 16;
    double seconds = 10;
    long messages = 0;
    double rate = 0;
    std::string db;
    std::string label = "run";
};

/// One officer's conversation: the messages that fill one weekly report, then again.
const std::vector<std::string> kSteps{
    "填报 工作进度周报", "{task}", "60", "推进中", "下周继续推进落实。", "跳过", "提交"};

struct Officer {
    int id = 0;
    std::string user;  ///< platform user id
    std::string chat;
    std::size_t step = 0;
    int reports = 0;
    std::deque<Clock::time_point> awaiting;  ///< send times of messages whose reply has not come
};

struct Stats {
    std::vector<double> ack_ms;
    std::vector<double> reply_ms;
    long acked = 0;
    long errors = 0;
    long submits = 0;
    long replies = 0;
    long warmup = 0;  ///< messages before the timed part (acknowledged, stored, not timed)
    std::map<std::string, long> error_kinds;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

std::string unix_seconds() {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

class Load {
public:
    Load(asio::io_context& ioc, Options o) : ioc_(ioc), o_(std::move(o)), wecom_(kWeComToken, kWeComKey, "") {
        std::random_device rd;
        run_id_ = "r" + std::to_string(rd() % 1000000);
        for (int i = 0; i < o_.officers; ++i) {
            Officer off;
            off.id = i;
            off.user = o_.platform == "slack" ? "U" + std::to_string(100000 + i) : "w" + std::to_string(i);
            off.chat = (o_.platform == "slack" ? "C" : "wxg") + std::to_string(i % o_.groups);
            officers_.push_back(std::move(off));
        }
    }

    void start() {
        started_ = Clock::now();
        deadline_ = started_ + std::chrono::hours(1);  // set when the warm-up is over
        warming_ = o_.connections;
        active_ = o_.connections;
        if (o_.fake_port != 0) {
            asio::co_spawn(ioc_, fake_platform(), asio::detached);
        }
        for (int c = 0; c < o_.connections; ++c) {
            asio::co_spawn(ioc_, connection(c), asio::detached);
        }
    }

    int finish() {
        const double secs = std::chrono::duration<double>(finished_ - started_).count();
        const double mps = static_cast<double>(stats_.acked) / secs;
        long expected_replies = 0;
        for (const auto& off : officers_) {
            expected_replies += static_cast<long>(off.awaiting.size());
        }
        std::printf("%s: %s, %d officers in %d groups, %d connections, %.1f s\n",
                    o_.label.c_str(),
                    o_.platform.c_str(),
                    o_.officers,
                    o_.groups,
                    o_.connections,
                    secs);
        std::printf("  acknowledged %ld messages (%.0f/s), %ld errors, %ld reports completed\n",
                    stats_.acked,
                    mps,
                    stats_.errors,
                    stats_.submits);
        for (const auto& [kind, n] : stats_.error_kinds) {
            std::printf("    error %s: %ld\n", kind.c_str(), n);
        }
        std::printf("  ack latency ms: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n",
                    percentile(stats_.ack_ms, 50),
                    percentile(stats_.ack_ms, 99),
                    percentile(stats_.ack_ms, 99.9),
                    percentile(stats_.ack_ms, 100));
        if (o_.fake_port != 0) {
            std::printf("  replies received %ld, still missing %ld; reply latency ms: p50 %.2f  p99 %.2f\n",
                        stats_.replies,
                        expected_replies,
                        percentile(stats_.reply_ms, 50),
                        percentile(stats_.reply_ms, 99));
        }
        std::string check = "skipped";
        bool ok = true;
        if (!o_.db.empty()) {
            ok = check_db(check);
            std::printf("  exactly-once check: %s\n", check.c_str());
        }
        std::printf(
            "RESULT label=%s platform=%s mps=%.1f ack_p50=%.3f ack_p99=%.3f ack_p999=%.3f reply_p50=%.3f "
            "reply_p99=%.3f errors=%ld acked=%ld reports=%ld replies_missing=%ld check=%s\n",
            o_.label.c_str(),
            o_.platform.c_str(),
            mps,
            percentile(stats_.ack_ms, 50),
            percentile(stats_.ack_ms, 99),
            percentile(stats_.ack_ms, 99.9),
            percentile(stats_.reply_ms, 50),
            percentile(stats_.reply_ms, 99),
            stats_.errors,
            stats_.acked,
            stats_.submits,
            o_.fake_port != 0 ? expected_replies : 0,
            ok ? (o_.db.empty() ? "skipped" : "ok") : "FAILED");
        return ok ? 0 : 1;
    }

private:
    /// The request for one message of `off` in the platform's wire format.
    http::request<http::string_body> build(Officer& off, const std::string& text, const std::string& id) {
        http::request<http::string_body> req;
        req.method(http::verb::post);
        req.version(11);
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, "application/json");
        req.keep_alive(true);
        const std::string ts = unix_seconds();
        if (o_.platform == "slack") {
            const json body{{"type", "event_callback"},
                            {"team_id", "T1"},
                            {"api_app_id", "A1"},
                            {"event_id", id},
                            {"event_time", std::stoll(ts)},
                            {"event",
                             {{"type", "app_mention"},
                              {"user", off.user},
                              {"channel", off.chat},
                              {"ts", ts + ".000100"},
                              {"text", "<@UBOT> " + text}}}};
            req.target("/hooks/slack");
            req.body() = body.dump();
            req.set("X-Slack-Request-Timestamp", ts);
            req.set("X-Slack-Signature",
                    bot::adapters::slack::SlackAdapter::sign(kSlackSecret, ts, req.body()));
        } else {
            const json msg{{"msgid", id},
                           {"aibotid", "AIBOT"},
                           {"chatid", off.chat},
                           {"chattype", "group"},
                           {"from", {{"userid", off.user}}},
                           {"response_url",
                            "http://127.0.0.1:" + std::to_string(o_.fake_port) +
                                "/wecom/response?officer=" + std::to_string(off.id) + "&id=" + id},
                           {"msgtype", "text"},
                           {"text", {{"content", "@联络员助手 " + text}}}};
            const std::string enc = wecom_.encrypt(msg.dump());
            req.target("/hooks/wecom?msg_signature=" + wecom_.signature(ts, "n1", enc) + "&timestamp=" + ts +
                       "&nonce=n1");
            req.body() = json{{"encrypt", enc}}.dump();
        }
        req.prepare_payload();
        return req;
    }

    /// What `off` sends at its current step.
    std::string step_text(const Officer& off) const {
        if (kSteps[off.step] == "{task}") {
            // Letters between the numbers: 新 compares texts without punctuation, so "16-10" and
            // "161-0" would be one text, and the second report refused as a copy.
            return run_id_ + "o" + std::to_string(off.id) + "r" + std::to_string(off.reports);
        }
        return kSteps[off.step];
    }

    bool more() const { return Clock::now() < deadline_ && (o_.messages == 0 || sent_ < o_.messages); }

    /// Warm-up, not timed: 取消 ends whatever conversation an earlier run left each officer in;
    /// then officer i answers the first i mod 7 steps, so that the officers are spread over the
    /// conversation as people are. (All starting at the first step, the 400 went through it in
    /// lockstep: every 提交 in the same quarter second, and the "half load" was bursts of full
    /// load in the steps that cost most.) False when a request failed.
    asio::awaitable<bool> warm_up(beast::tcp_stream& stream,
                                  beast::flat_buffer& buffer,
                                  const std::vector<Officer*>& mine) {
        boost::system::error_code ec;
        auto token = asio::redirect_error(asio::use_awaitable, ec);
        for (Officer* off : mine) {
            const std::size_t offset = static_cast<std::size_t>(off->id) % kSteps.size();  // never past 提交
            for (std::size_t k = 0; k <= offset; ++k) {
                const std::string text = k == 0 ? "取消" : step_text(*off);
                auto req =
                    build(*off, text, run_id_ + "-w" + std::to_string(off->id) + "-" + std::to_string(k));
                co_await http::async_write(stream, req, token);
                http::response<http::string_body> res;
                if (!ec) {
                    co_await http::async_read(stream, buffer, res, token);
                }
                if (ec || res.result_int() != 200) {
                    ++stats_.errors;
                    ++stats_
                          .error_kinds["warm-up: " + (ec ? ec.message() : std::to_string(res.result_int()))];
                    co_return false;
                }
                ++stats_.warmup;
                if (k > 0) {
                    off->step = (off->step + 1) % kSteps.size();
                }
            }
        }
        co_return true;
    }

    /// Once every connection is warm: waits until the warm-up's replies have stopped coming (at
    /// most 5 s), so that none is taken for the reply to a timed message, and starts the clock.
    asio::awaitable<void> start_timing() {
        const auto give_up = Clock::now() + std::chrono::seconds(5);
        long seen = -1;
        while (o_.fake_port != 0 && seen != warmup_replies_ && Clock::now() < give_up) {
            seen = warmup_replies_;
            asio::steady_timer quiet(ioc_, std::chrono::milliseconds(250));
            boost::system::error_code ec;
            co_await quiet.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        timing_ = true;
        started_ = Clock::now();
        deadline_ = started_ + std::chrono::milliseconds(static_cast<long>(o_.seconds * 1000));
    }

    asio::awaitable<void> connection(int index) {
        beast::tcp_stream stream(ioc_);
        boost::system::error_code ec;
        auto token = asio::redirect_error(asio::use_awaitable, ec);
        const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), o_.port);
        co_await stream.async_connect(ep, token);
        if (ec) {
            ++stats_.errors;
            ++stats_.error_kinds["connect: " + ec.message()];
            co_return;
        }
        stream.socket().set_option(tcp::no_delay(true), ec);
        beast::flat_buffer buffer;
        // This connection's officers: index, index + C, index + 2C, …
        std::vector<Officer*> mine;
        for (std::size_t i = static_cast<std::size_t>(index); i < officers_.size();
             i += static_cast<std::size_t>(o_.connections)) {
            mine.push_back(&officers_[i]);
        }
        if (!co_await warm_up(stream, buffer, mine)) {
            co_return;
        }
        if (--warming_ == 0) {
            co_await start_timing();
        }
        while (!timing_) {
            asio::steady_timer wait(ioc_, std::chrono::milliseconds(1));
            co_await wait.async_wait(token);
        }
        asio::steady_timer pace(ioc_);
        const auto interval = o_.rate > 0 ? std::chrono::duration<double>(o_.connections / o_.rate)
                                          : std::chrono::duration<double>(0);
        // Open loop: connection `index` sends at its own phase of the interval, so that the total
        // rate arrives evenly. (All connections starting together sent their requests in bursts
        // of C at once, and the latency at "half load" was the latency of those bursts.)
        auto next_send = Clock::now() +
                         std::chrono::duration_cast<Clock::duration>(interval * index / o_.connections) -
                         std::chrono::duration_cast<Clock::duration>(interval);
        std::size_t turn = 0;
        while (!mine.empty() && more()) {
            if (o_.rate > 0) {
                next_send += std::chrono::duration_cast<Clock::duration>(interval);
                pace.expires_at(next_send);
                co_await pace.async_wait(token);
            }
            Officer& off = *mine[turn++ % mine.size()];
            const std::string text = step_text(off);
            const std::string id = run_id_ + "-" + std::to_string(off.id) + "-" + std::to_string(seq_++);
            auto req = build(off, text, id);
            ++sent_;
            const auto t0 = Clock::now();
            if (o_.fake_port != 0) {
                off.awaiting.push_back(t0);  // before the write: the reply may come before the ack
            }
            stream.expires_after(std::chrono::seconds(30));
            co_await http::async_write(stream, req, token);
            http::response<http::string_body> res;
            if (!ec) {
                co_await http::async_read(stream, buffer, res, token);
            }
            const auto t1 = Clock::now();
            if (ec || res.result_int() != 200) {
                if (o_.fake_port != 0 && !off.awaiting.empty()) {
                    off.awaiting.pop_back();
                }
                ++stats_.errors;
                ++stats_.error_kinds[ec ? ec.message() : "HTTP " + std::to_string(res.result_int())];
                if (ec) {
                    break;
                }
                continue;
            }
            stats_.ack_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
            ++stats_.acked;
            if (kSteps[off.step] == "提交") {
                ++stats_.submits;
                ++off.reports;
            }
            off.step = (off.step + 1) % kSteps.size();
        }
        finished_ = std::max(finished_, Clock::now());
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        if (--active_ == 0) {
            asio::co_spawn(ioc_, drain(), asio::detached);
        }
    }

    /// After the last connection: wait (at most 5 s) for the replies still on their way, then stop.
    asio::awaitable<void> drain() {
        const auto until = Clock::now() + std::chrono::seconds(5);
        asio::steady_timer t(ioc_);
        while (o_.fake_port != 0 && Clock::now() < until && missing() > 0) {
            t.expires_after(std::chrono::milliseconds(20));
            boost::system::error_code ec;
            co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        ioc_.stop();
    }

    long missing() const {
        long n = 0;
        for (const auto& off : officers_) {
            n += static_cast<long>(off.awaiting.size());
        }
        return n;
    }

    /// The platform API the bot replies to: records when each officer's reply arrives.
    asio::awaitable<void> fake_platform() {
        tcp::acceptor acceptor(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), o_.fake_port));
        for (;;) {
            boost::system::error_code ec;
            tcp::socket s = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                co_return;
            }
            asio::co_spawn(ioc_, fake_session(std::move(s)), asio::detached);
        }
    }

    asio::awaitable<void> fake_session(tcp::socket socket) {
        beast::flat_buffer buffer;
        boost::system::error_code ec;
        auto token = asio::redirect_error(asio::use_awaitable, ec);
        for (;;) {
            http::request<http::string_body> req;
            co_await http::async_read(socket, buffer, req, token);
            if (ec) {
                co_return;
            }
            const auto now = Clock::now();
            Officer* off = nullptr;
            const std::string target(req.target());
            if (const auto q = target.find("officer="); q != std::string::npos) {
                const int id = std::atoi(target.c_str() + q + 8);
                if (id >= 0 && id < static_cast<int>(officers_.size())) {
                    off = &officers_[static_cast<std::size_t>(id)];
                }
            } else {
                const auto body = json::parse(req.body(), nullptr, false);
                if (body.is_object() && body.contains("text") && body["text"].is_string()) {
                    const std::string& t = body["text"].get_ref<const std::string&>();
                    if (t.rfind("<@U", 0) == 0) {
                        const int id = std::atoi(t.c_str() + 3) - 100000;
                        if (id >= 0 && id < static_cast<int>(officers_.size())) {
                            off = &officers_[static_cast<std::size_t>(id)];
                        }
                    }
                }
            }
            if (off != nullptr && !timing_) {
                ++warmup_replies_;
            } else if (off != nullptr && !off->awaiting.empty()) {
                stats_.reply_ms.push_back(
                    std::chrono::duration<double, std::milli>(now - off->awaiting.front()).count());
                off->awaiting.pop_front();
                ++stats_.replies;
            }
            http::response<http::string_body> res{http::status::ok, req.version()};
            res.set(http::field::content_type, "application/json");
            res.body() = target.rfind("/wecom", 0) == 0 ? R"({"errcode":0,"errmsg":"ok"})" : R"({"ok":true})";
            res.keep_alive(req.keep_alive());
            res.prepare_payload();
            co_await http::async_write(socket, res, token);
            if (ec) {
                co_return;
            }
        }
    }

    bool check_db(std::string& what) {
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(o_.db.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            what = "cannot open " + o_.db;
            sqlite3_close(db);
            return false;
        }
        const auto count = [&](const std::string& sql) -> long {
            sqlite3_stmt* st = nullptr;
            long n = -1;
            if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW) {
                n = sqlite3_column_int64(st, 0);
            }
            sqlite3_finalize(st);
            return n;
        };
        const std::string like = "'%:" + run_id_ + "-%'";
        const long events = count("SELECT count(*) FROM processed_events WHERE event_key LIKE " + like);
        const long reports = count("SELECT count(*) FROM reports WHERE title LIKE '" + run_id_ + "o%'");
        const long distinct =
            count("SELECT count(DISTINCT title) FROM reports WHERE title LIKE '" + run_id_ + "o%'");
        sqlite3_close(db);
        const bool ok =
            events == stats_.acked + stats_.warmup && reports == stats_.submits && distinct == reports;
        what = std::string(ok ? "OK" : "FAILED") + " (" + std::to_string(stats_.acked + stats_.warmup) +
               " acknowledged messages, " + std::to_string(events) + " stored event ids; " +
               std::to_string(stats_.submits) + " acknowledged submissions, " + std::to_string(reports) +
               " reports, " + std::to_string(distinct) + " distinct)";
        return ok;
    }

    asio::io_context& ioc_;
    Options o_;
    bot::adapters::wecom::MsgCrypt wecom_;
    std::string run_id_;
    std::vector<Officer> officers_;
    Stats stats_;
    long sent_ = 0;
    long seq_ = 0;
    int warming_ = 0;
    bool timing_ = false;      ///< the warm-up is over: replies are timed from now on
    long warmup_replies_ = 0;  ///< replies to warm-up messages (not timed)
    int active_ = 0;
    Clock::time_point started_{};
    Clock::time_point deadline_{};
    Clock::time_point finished_{};
};

int setup(const Options& o) {
    std::filesystem::create_directories(o.dir);
    json units = json::array();
    json people = json::array();
    json chats = json::array();
    for (int i = 0; i < o.officers; ++i) {
        units.push_back({{"id", "unit" + std::to_string(i)}, {"name", "第" + std::to_string(i) + "网格"}});
        people.push_back({{"id", "p" + std::to_string(i)},
                          {"name", "联络员" + std::to_string(i)},
                          {"unit", "unit" + std::to_string(i)},
                          {"accounts",
                           {{{"bot", "slack"}, {"user", "U" + std::to_string(100000 + i)}},
                            {{"bot", "wecom"}, {"user", "w" + std::to_string(i)}}}}});
    }
    for (int g = 0; g < o.groups; ++g) {
        json members = json::array();
        for (int i = g; i < o.officers; i += o.groups) {
            members.push_back("unit" + std::to_string(i));
        }
        chats.push_back(
            {{"id", "C" + std::to_string(g)}, {"bot", "slack"}, {"units", members}, {"templates", {"*"}}});
        // A WeCom AI bot cannot post unasked: its groups' reminders go through the group's robot.
        chats.push_back({{"id", "wxg" + std::to_string(g)},
                         {"bot", "wecom"},
                         {"push", "wecom-robot"},
                         {"units", members},
                         {"templates", {"*"}}});
    }
    std::ofstream(o.dir + "/roster.jsonc")
        << json{{"units", units}, {"people", people}, {"chats", chats}}.dump(1);
    json config = bench::serve_config("127.0.0.1:" + std::to_string(o.port),
                                      o.dir + "/liaison.db",
                                      "info",
                                      "http://127.0.0.1:" + std::to_string(o.fake_port) + "/slack");
    config["server"]["max_connections"] = 4096;
    config["bots"].push_back({{"id", "wecom"},
                              {"platform", "wecom_aibot"},
                              {"token", "${BENCH_WECOM_TOKEN}"},
                              {"encoding_aes_key", "${BENCH_WECOM_AES}"},
                              {"rate_per_minute", 100000}});
    config["bots"].push_back(
        {{"id", "wecom-robot"},
         {"platform", "wecom_robot"},
         {"key", "${BENCH_WECOM_ROBOT_KEY}"},
         {"api_base_url", "http://127.0.0.1:" + std::to_string(o.fake_port) + "/wecom-robot"}});
    std::ofstream(o.dir + "/liaison.jsonc") << config.dump(1);
    std::printf(
        "export BENCH_SLACK_SECRET=%s BENCH_SLACK_TOKEN=xoxb-bench BENCH_WECOM_TOKEN=%s BENCH_WECOM_AES=%s "
        "BENCH_WECOM_ROBOT_KEY=bench-robot-key\n",
        kSlackSecret.c_str(),
        kWeComToken.c_str(),
        kWeComKey.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (argc < 2) {
        std::cerr << "usage: loadgen setup DIR … | loadgen run … (see the top of bench/loadgen.cpp)\n";
        return 2;
    }
    o.mode = argv[1];
    int i = 2;
    if (o.mode == "setup" && argc > 2) {
        o.dir = argv[2];
        i = 3;
    }
    for (; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        const std::string v = argv[i + 1];
        if (a == "--port") {
            o.port = static_cast<unsigned short>(std::stoi(v));
        } else if (a == "--fake-port") {
            o.fake_port = static_cast<unsigned short>(std::stoi(v));
        } else if (a == "--platform") {
            o.platform = v;
        } else if (a == "--officers") {
            o.officers = std::stoi(v);
        } else if (a == "--groups") {
            o.groups = std::stoi(v);
        } else if (a == "--connections") {
            o.connections = std::stoi(v);
        } else if (a == "--seconds") {
            o.seconds = std::stod(v);
        } else if (a == "--messages") {
            o.messages = std::stol(v);
        } else if (a == "--rate") {
            o.rate = std::stod(v);
        } else if (a == "--db") {
            o.db = v;
        } else if (a == "--label") {
            o.label = v;
        } else {
            std::cerr << "unknown option " << a << "\n";
            return 2;
        }
    }
    if (o.mode == "setup") {
        return setup(o);
    }
    if (o.mode != "run" || o.port == 0 || (o.platform != "slack" && o.platform != "wecom")) {
        std::cerr << "run needs --port and --platform slack|wecom\n";
        return 2;
    }
    asio::io_context ioc(1);
    Load load(ioc, o);
    load.start();
    ioc.run();  // until the last connection is done and the replies have come (or 5 s more)
    return load.finish();
}
