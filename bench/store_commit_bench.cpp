// Group commit against its own baseline, in one run: the same concurrent webhook-like load (T threads,
// each submitting one unit of work and waiting for its durable outcome, as a webhook does before its
// 200) against the SQLite store with group commit (max_batch 256) and with one commit — one fsync —
// per unit (max_batch 1). Prints units/s, latency percentiles and the ratio.
#include "bot/core/log.hpp"
#include "bot/store/sqlite/store.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
    double units_per_s = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    double mean_batch = 0;
};

Figures run(const std::string& path, std::size_t max_batch, int threads, int per_thread) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    std::atomic<std::size_t> commits{0};
    std::atomic<std::size_t> units{0};
    bot::store::SqliteOptions o;
    o.path = path;
    o.max_batch = max_batch;
    o.on_commit = [&](double, std::size_t n, bool) {
        ++commits;
        units += n;
    };
    bot::store::SqliteStore store(o);
    const auto now = std::chrono::system_clock::now();
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
    const auto started = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            auto& mine = latencies[static_cast<std::size_t>(t)];
            mine.reserve(static_cast<std::size_t>(per_thread));
            for (int i = 0; i < per_thread; ++i) {
                const std::string key = "bench:" + std::to_string(t) + ":" + std::to_string(i);
                std::promise<void> done;
                const auto t0 = Clock::now();
                store.submit(
                    [&key, now](bot::store::Tx& tx) -> bot::result<void> {
                        auto r = tx.events().remember(key, now, now + std::chrono::hours(24));
                        return r ? bot::result<void>() : bot::result<void>(r.error());
                    },
                    [&done](bot::result<void>) { done.set_value(); });
                done.get_future().wait();
                mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            }
        });
    }
    for (auto& th : pool) {
        th.join();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    store.close();
    std::vector<double> all;
    for (auto& v : latencies) {
        all.insert(all.end(), v.begin(), v.end());
    }
    std::sort(all.begin(), all.end());
    Figures f;
    f.units_per_s = static_cast<double>(all.size()) / seconds;
    f.p50_ms = all[all.size() / 2];
    f.p99_ms = all[all.size() * 99 / 100];
    f.mean_batch =
        static_cast<double>(units.load()) / static_cast<double>(std::max<std::size_t>(1, commits.load()));
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    bot::log::set_level(bot::log::Level::warn);
    const std::string dir = argc > 1 ? argv[1] : "data/bench";
    const int threads = argc > 2 ? std::atoi(argv[2]) : 32;
    const int per_thread = argc > 3 ? std::atoi(argv[3]) : 100;
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/store_commit_bench.db";
    std::printf("store group commit: %d concurrent submitters x %d units, SQLite WAL synchronous=FULL, %s\n",
                threads,
                per_thread,
                dir.c_str());
    const Figures baseline = run(path, 1, threads, per_thread);
    const Figures group = run(path, 256, threads, per_thread);
    std::printf("%-28s %12s %10s %10s %11s\n", "mode", "units/s", "p50 ms", "p99 ms", "units/commit");
    std::printf("%-28s %12.0f %10.2f %10.2f %11.1f\n",
                "one fsync per unit (base)",
                baseline.units_per_s,
                baseline.p50_ms,
                baseline.p99_ms,
                baseline.mean_batch);
    std::printf("%-28s %12.0f %10.2f %10.2f %11.1f\n",
                "group commit (max_batch 256)",
                group.units_per_s,
                group.p50_ms,
                group.p99_ms,
                group.mean_batch);
    std::printf("group ÷ baseline throughput: %.2fx\n", group.units_per_s / baseline.units_per_s);
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    return 0;
}
