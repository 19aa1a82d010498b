#include "bot/store/sqlite/store.hpp"

#include "bot/store/sqlite/backup.hpp"
#include "bot/store/sqlite/tx.hpp"
#include "tests/support/sqlite_query.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <latch>
#include <mutex>
#include <thread>

namespace bot::store {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

result<void> submit_sync(Store& store, Work work) {
    std::promise<result<void>> p;
    auto f = p.get_future();
    store.submit(std::move(work), [&p](result<void> r) { p.set_value(r); });
    return f.get();
}

Work remember(std::string key) {
    return [key = std::move(key)](Tx& tx) -> result<void> {
        auto r = tx.events().remember(key, kNow, kNow + 1h);
        if (!r) {
            return r.error();
        }
        return {};
    };
}

/// Reads through a separate connection, as another process would: only committed data is visible.
bool committed_elsewhere(const std::string& path, const std::string& key) {
    return test::query(path, "SELECT 1 FROM processed_events WHERE event_key = ?1", key) == "1\n";
}

int count_rows(const std::string& path, const char* sql) {
    const std::string r = test::query(path, sql);
    return r.empty() ? -1 : std::stoi(r);
}

/// Occupies the store thread with a unit that waits, so that everything submitted meanwhile is
/// taken as one batch once release() is called.
class Blocker {
public:
    explicit Blocker(Store& store) {
        auto released = released_.get_future().share();
        store.submit(
            [this, released](Tx&) -> result<void> {
                running_.set_value();
                released.wait();
                return {};
            },
            [](result<void>) {});
        running_.get_future().wait();
    }
    void release() { released_.set_value(); }

private:
    std::promise<void> released_;
    std::promise<void> running_;
};

struct CommitLog {
    std::mutex mutex;
    std::vector<std::pair<std::size_t, bool>> commits;  // batch size, ok
    std::function<void(double, std::size_t, bool)> hook() {
        return [this](double, std::size_t n, bool ok) {
            const std::lock_guard lock(mutex);
            commits.emplace_back(n, ok);
        };
    }
};

class StoreTest : public ::testing::Test {
protected:
    SqliteOptions options() {
        SqliteOptions o;
        o.path = dir.file("data/liaison.db");
        o.on_commit = log.hook();
        return o;
    }
    test::TempDir dir;
    CommitLog log;
};

TEST_F(StoreTest, OpenCreatesDirectoryEnablesWalAndMigrates) {
    SqliteStore store(options());
    EXPECT_EQ(store.schema_version(), static_cast<int>(sqlite_migrations().size()));
    store.close();
    EXPECT_EQ(count_rows(dir.file("data/liaison.db"), "SELECT count(*) FROM schema_migrations"),
              static_cast<int>(sqlite_migrations().size()));
    sqlite3* db = nullptr;
    sqlite3_open(dir.file("data/liaison.db").c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

TEST_F(StoreTest, ReopeningDoesNotReapplyMigrations) {
    { SqliteStore store(options()); }
    { SqliteStore store(options()); }
    EXPECT_EQ(count_rows(dir.file("data/liaison.db"), "SELECT count(*) FROM schema_migrations"),
              static_cast<int>(sqlite_migrations().size()));
}

TEST_F(StoreTest, NewMigrationIsAppliedOnNextOpenAndAFailingOneRollsBack) {
    std::vector<Migration> v1{{1, "one", "CREATE TABLE a(x INTEGER)"}};
    std::vector<Migration> v2_bad{{1, "one", "CREATE TABLE a(x INTEGER)"},
                                  {2, "two", "CREATE TABLE b(y INTEGER); INSERT INTO nowhere VALUES (1)"}};
    std::vector<Migration> v2{{1, "one", "CREATE TABLE a(x INTEGER)"},
                              {2, "two", "CREATE TABLE b(y INTEGER)"}};
    auto o = options();
    o.migrations = &v1;
    {
        SqliteStore s(o);
        EXPECT_EQ(s.schema_version(), 1);
    }
    o.migrations = &v2_bad;
    try {
        SqliteStore s(o);
        FAIL() << "a failing migration must stop the start";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("migration 2 (two) failed"), std::string::npos) << e.what();
    }
    // Table b of the failed migration was rolled back with it.
    EXPECT_EQ(count_rows(dir.file("data/liaison.db"), "SELECT count(*) FROM sqlite_master WHERE name = 'b'"),
              0);
    o.migrations = &v2;
    {
        SqliteStore s(o);
        EXPECT_EQ(s.schema_version(), 2);
    }
    // A binary that knows fewer migrations than the database refuses it.
    o.migrations = &v1;
    EXPECT_THROW({ SqliteStore s(o); }, std::runtime_error);
}

TEST_F(StoreTest, PagesKeptAsASessionRowByAnEarlierVersionAreMovedToTheirTable) {
    // A database as version 17 left it: waiting pages in a sessions row "pages<US>user".
    const std::vector<Migration> all = sqlite_migrations();
    const std::vector<Migration> v17(all.begin(), all.begin() + 17);
    auto o = options();
    o.migrations = &v17;
    {
        SqliteStore s(o);
        ASSERT_EQ(s.schema_version(), 17);
        auto saved = submit_sync(s, [](Tx& tx) -> result<void> {
            if (auto r = tx.sessions().save(
                    {"ai", "chat", std::string("pages\x1fzhangsan")}, R"(["第 2/3 页","第 3/3 页"])", kNow);
                !r) {
                return r;
            }
            if (auto r = tx.sessions().save({"ai", "chat", std::string("pages\x1flisi")}, "not json", kNow);
                !r) {
                return r;
            }
            return tx.sessions().save({"ai", "chat", "zhangsan"}, R"({"stage":"filling"})", kNow);
        });
        ASSERT_TRUE(saved);
    }
    o.migrations = nullptr;
    SqliteStore s(o);
    EXPECT_EQ(s.schema_version(), static_cast<int>(all.size()));
    std::vector<std::optional<std::string>> taken;
    std::optional<std::string> form;
    std::optional<std::string> old_row;
    ASSERT_TRUE(submit_sync(s, [&](Tx& tx) -> result<void> {
        for (int i = 0; i < 3; ++i) {
            taken.push_back(*tx.pages().take({"ai", "chat", "zhangsan"}));
        }
        form = *tx.sessions().load({"ai", "chat", "zhangsan"});
        old_row = *tx.sessions().load({"ai", "chat", std::string("pages\x1fzhangsan")});
        return {};
    }));
    EXPECT_EQ(taken[0], "第 2/3 页");
    EXPECT_EQ(taken[1], "第 3/3 页");
    EXPECT_EQ(taken[2], std::nullopt);
    EXPECT_EQ(form, R"({"stage":"filling"})") << "the officer's form stays where it was";
    EXPECT_EQ(old_row, std::nullopt) << "no sessions row holds pages any more";
    EXPECT_EQ(count_rows(dir.file("data/liaison.db"),
                         "SELECT count(*) FROM sessions WHERE substr(user_id, 1, 6) = 'pages' || char(31)"),
              0)
        << "an unreadable row of pages is dropped, not a failed start";
}

TEST_F(StoreTest, UnopenableDatabaseIsAClearStartupError) {
    auto o = options();
    dir.write("not-a-db", std::string(4096, 'x'));
    o.path = dir.file("not-a-db");
    try {
        SqliteStore s(o);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("not-a-db"), std::string::npos) << e.what();
    }
}

TEST_F(StoreTest, RememberEventDeduplicatesUntilExpiry) {
    SqliteStore store(options());
    std::vector<bool> fresh;
    std::uint64_t purged = 0;
    bool seen_before = true;
    bool seen_after = false;
    auto r = submit_sync(store, [&](Tx& tx) -> result<void> {
        seen_before = *tx.events().seen("k1", kNow);
        fresh.push_back(*tx.events().remember("k1", kNow, kNow + 10s));
        fresh.push_back(*tx.events().remember("k1", kNow + 5s, kNow + 15s));   // within ttl: duplicate
        fresh.push_back(*tx.events().remember("k1", kNow + 10s, kNow + 20s));  // expired at 10s: new again
        fresh.push_back(*tx.events().remember("k2", kNow, kNow + 1s));
        seen_after = *tx.events().seen("k1", kNow + 11s);
        purged = *tx.events().forget_expired(kNow + 2s);  // k2 only
        return {};
    });
    ASSERT_TRUE(r);
    EXPECT_FALSE(seen_before);
    EXPECT_TRUE(seen_after);
    EXPECT_EQ(fresh, (std::vector<bool>{true, false, true, true}));
    EXPECT_EQ(purged, 1u);
    auto empty = submit_sync(store, [](Tx& tx) -> result<void> {
        auto x = tx.events().remember("", kNow, kNow);
        return x ? result<void>() : result<void>(x.error());
    });
    EXPECT_EQ(empty.error(), make_error_code(errc::invalid_argument));
}

TEST_F(StoreTest, CommittedDataSurvivesReopen) {
    {
        SqliteStore store(options());
        ASSERT_TRUE(submit_sync(store, remember("persist-me")));
    }
    SqliteStore store(options());
    bool seen = false;
    ASSERT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
        seen = *tx.events().seen("persist-me", kNow);
        return {};
    }));
    EXPECT_TRUE(seen);
}

TEST_F(StoreTest, ConcurrentUnitsShareOneCommitAndLearnTheOutcomeOnlyAfterIt) {
    SqliteStore store(options());
    const std::string path = dir.file("data/liaison.db");
    std::promise<void> release;
    auto released = release.get_future().share();
    std::promise<void> first_running;
    std::atomic<bool> first_done{false};

    // Unit 0 holds the store thread inside its transaction.
    store.submit(
        [&, released](Tx& tx) -> result<void> {
            auto r = tx.events().remember("u0", kNow, kNow + 1h);
            first_running.set_value();
            released.wait();
            return r ? result<void>() : result<void>(r.error());
        },
        [&](result<void> r) {
            EXPECT_TRUE(r);
            EXPECT_TRUE(committed_elsewhere(path, "u0")) << "reported before it was committed";
            first_done = true;
        });
    first_running.get_future().wait();

    // Ten units submitted from ten threads while unit 0's transaction is open.
    constexpr int kUnits = 10;
    std::latch all_done(kUnits);
    std::atomic<int> visible_at_done{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kUnits; ++i) {
        threads.emplace_back([&, i] {
            const std::string key = "u" + std::to_string(i + 1);
            store.submit(remember(key), [&, key](result<void> r) {
                EXPECT_TRUE(r);
                if (committed_elsewhere(path, key)) {
                    ++visible_at_done;
                }
                all_done.count_down();
            });
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(first_done) << "unit 0 reported before its transaction ended";
    EXPECT_FALSE(committed_elsewhere(path, "u0")) << "uncommitted data visible";
    release.set_value();
    all_done.wait();
    EXPECT_TRUE(first_done);
    EXPECT_EQ(visible_at_done, kUnits);
    store.close();
    const std::lock_guard lock(log.mutex);
    ASSERT_EQ(log.commits.size(), 2u);
    EXPECT_EQ(log.commits[0], std::make_pair(std::size_t{1}, true));
    EXPECT_EQ(log.commits[1], std::make_pair(std::size_t{kUnits}, true)) << "the ten units shared one commit";
}

TEST_F(StoreTest, AFailingUnitRollsBackAloneNotItsBatchMates) {
    SqliteStore store(options());
    const std::string path = dir.file("data/liaison.db");
    Blocker blocker(store);  // units submitted from here on share the next commit

    std::promise<result<void>> a, b, c, d;
    store.submit(remember("a"), [&](result<void> r) { a.set_value(r); });
    store.submit(
        [](Tx& tx) -> result<void> {
            (void)tx.events().remember("b", kNow, kNow + 1h);  // written, then the unit fails
            return errc::invalid_argument;
        },
        [&](result<void> r) { b.set_value(r); });
    store.submit(
        [](Tx& tx) -> result<void> {
            (void)tx.events().remember("d", kNow, kNow + 1h);
            throw std::runtime_error("bug in a unit");
        },
        [&](result<void> r) { d.set_value(r); });
    store.submit(remember("c"), [&](result<void> r) { c.set_value(r); });
    blocker.release();

    EXPECT_TRUE(a.get_future().get());
    EXPECT_EQ(b.get_future().get().error(), make_error_code(errc::invalid_argument));
    EXPECT_FALSE(d.get_future().get());
    EXPECT_TRUE(c.get_future().get());
    EXPECT_TRUE(committed_elsewhere(path, "a"));
    EXPECT_FALSE(committed_elsewhere(path, "b"));
    EXPECT_FALSE(committed_elsewhere(path, "d"));
    EXPECT_TRUE(committed_elsewhere(path, "c"));
    store.close();
    const std::lock_guard lock(log.mutex);
    ASSERT_EQ(log.commits.size(), 2u);
    EXPECT_EQ(log.commits[1].first, 4u) << "a, b, d and c ran in one batch";
}

TEST_F(StoreTest, AFailedCommitFailsEveryUnitOfItsBatchAndNothingIsVisible) {
    // A deferred foreign key is only checked at COMMIT: the commit itself fails.
    {
        sqlite3* db = nullptr;
        SqliteStore init(options());
        init.close();
        sqlite3_open(dir.file("data/liaison.db").c_str(), &db);
        ASSERT_EQ(sqlite3_exec(
                      db,
                      "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
                      "CREATE TABLE child(pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);",
                      nullptr,
                      nullptr,
                      nullptr),
                  SQLITE_OK);
        sqlite3_close(db);
    }
    SqliteStore store(options());
    const std::string path = dir.file("data/liaison.db");
    Blocker blocker(store);  // units submitted from here on share the next commit
    std::promise<result<void>> good, poison;
    store.submit(remember("innocent"), [&](result<void> r) { good.set_value(r); });
    store.submit(
        [](Tx& tx) -> result<void> {
            auto* db = dynamic_cast<SqliteTx&>(tx).native();
            if (sqlite3_exec(db, "INSERT INTO child(pid) VALUES (42)", nullptr, nullptr, nullptr) !=
                SQLITE_OK) {
                return errc::store_failure;
            }
            return {};
        },
        [&](result<void> r) { poison.set_value(r); });
    blocker.release();
    EXPECT_EQ(good.get_future().get().error(), make_error_code(errc::store_failure));
    EXPECT_EQ(poison.get_future().get().error(), make_error_code(errc::store_failure));
    EXPECT_FALSE(committed_elsewhere(path, "innocent"));
    // The store keeps working after a failed commit.
    EXPECT_TRUE(submit_sync(store, remember("after")));
    EXPECT_TRUE(committed_elsewhere(path, "after"));
}

/// The session of `key` as a unit of work sees it ("-" for none).
std::string session_seen(Store& store, const SessionKey& key) {
    std::string seen = "?";
    EXPECT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
        auto s = tx.sessions().load(key);
        if (!s) {
            return s.error();
        }
        seen = s->value_or("-");
        return {};
    }));
    return seen;
}

TEST_F(StoreTest, KeptSessionsNeverOutliveWhatTheDatabaseHolds) {
    SqliteStore store(options());
    const std::string path = dir.file("data/liaison.db");
    const SessionKey key{"bot", "chat", "user"};
    const auto save = [&](std::string state, bool fail) {
        return submit_sync(store, [&, state, fail](Tx& tx) -> result<void> {
            if (auto r = tx.sessions().save(key, state, kNow); !r) {
                return r;
            }
            return fail ? result<void>(errc::invalid_argument) : result<void>{};
        });
    };
    EXPECT_EQ(session_seen(store, key), "-");
    ASSERT_TRUE(save("one", false));
    EXPECT_EQ(session_seen(store, key), "one");

    // A unit that saved, then failed: rolled back, so the next unit must not see its state.
    EXPECT_FALSE(save("rolled back", true));
    EXPECT_EQ(session_seen(store, key), "one");

    // Another connection (a second process, the console) writes the same session.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE sessions SET state = 'elsewhere'", nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_EQ(session_seen(store, key), "elsewhere");

    // A whole batch that fails at COMMIT: nothing of it may be kept.
    {
        ASSERT_EQ(sqlite3_exec(db,
                               "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
                               "CREATE TABLE child(pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY "
                               "DEFERRED);",
                               nullptr,
                               nullptr,
                               nullptr),
                  SQLITE_OK);
        sqlite3_close(db);
    }
    ASSERT_EQ(session_seen(store, key), "elsewhere");
    Blocker blocker(store);
    std::promise<result<void>> saved, poison;
    store.submit([&](Tx& tx) { return tx.sessions().save(key, "lost with the batch", kNow); },
                 [&](result<void> r) { saved.set_value(r); });
    store.submit(
        [](Tx& tx) -> result<void> {
            auto* native = dynamic_cast<SqliteTx&>(tx).native();
            return sqlite3_exec(native, "INSERT INTO child(pid) VALUES (42)", nullptr, nullptr, nullptr) ==
                           SQLITE_OK
                       ? result<void>{}
                       : result<void>(errc::store_failure);
        },
        [&](result<void> r) { poison.set_value(r); });
    blocker.release();
    EXPECT_FALSE(saved.get_future().get());
    EXPECT_FALSE(poison.get_future().get());
    EXPECT_EQ(session_seen(store, key), "elsewhere");

    // Erased, and the erasure kept: none, without asking the database.
    ASSERT_TRUE(submit_sync(store, [&](Tx& tx) { return tx.sessions().erase(key); }));
    EXPECT_EQ(session_seen(store, key), "-");
}

TEST_F(StoreTest, OutboxKeepsEachChatInOrderAcrossRetriesAndRestarts) {
    auto msg = [](const std::string& chat, const std::string& text) {
        OutboxMessage m;
        m.message.bot_id = "slack";
        m.message.chat_id = chat;
        m.message.text = text;
        return m;
    };
    {
        SqliteStore store(options());
        ASSERT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
            for (const auto& [chat, text] : std::vector<std::pair<std::string, std::string>>{
                     {"A", "a1"}, {"B", "b1"}, {"A", "a2"}, {"A", "a3"}}) {
                if (!tx.outbox().enqueue(msg(chat, text), kNow)) {
                    return errc::store_failure;
                }
            }
            return {};
        }));
        std::vector<OutboxMessage> first;
        ASSERT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
            first = *tx.outbox().claim_due(kNow, 2);
            return {};
        }));
        ASSERT_EQ(first.size(), 2u);
        EXPECT_EQ(first[0].message.text, "a1");
        EXPECT_EQ(first[1].message.text, "b1");
        EXPECT_EQ(first[0].attempts, 1);
        // a1 fails and is retried in 30 s: a2 and a3 wait behind it; b1 is sent.
        ASSERT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
            EXPECT_TRUE(
                tx.outbox().reschedule(std::vector<std::int64_t>{first[0].id}, kNow + 30s, "HTTP 429"));
            EXPECT_TRUE(tx.outbox().mark_sent(first[1].id, kNow));
            auto again = *tx.outbox().claim_due(kNow + 1s, 10);
            EXPECT_TRUE(again.empty()) << "chat A must not overtake its failed first message";
            EXPECT_EQ(tx.outbox().next_due()->value(), kNow + 30s);
            // A new message to A queues behind the backlog too.
            EXPECT_TRUE(tx.outbox().enqueue(msg("A", "a4"), kNow + 2s));
            // Claim a1 and a2, then "crash" with them in flight.
            auto due = *tx.outbox().claim_due(kNow + 30s, 2);
            EXPECT_EQ(due.size(), 2u);
            EXPECT_EQ(due[0].message.text, "a1");
            EXPECT_EQ(due[0].attempts, 2);
            EXPECT_EQ(due[0].last_error, "HTTP 429");
            EXPECT_EQ(due[1].message.text, "a2");
            return {};
        }));
    }
    // After a restart the interrupted ones go out again, in order, followed by the rest.
    SqliteStore store(options());
    std::vector<std::string> order;
    ASSERT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
        EXPECT_EQ(*tx.outbox().requeue_interrupted(), 2u);
        for (const auto& m : *tx.outbox().claim_due(kNow + 60s, 10)) {
            order.push_back(m.message.text);
            EXPECT_TRUE(tx.outbox().mark_sent(m.id, kNow + 60s));
        }
        EXPECT_FALSE(tx.outbox().next_due()->has_value());
        return {};
    }));
    EXPECT_EQ(order, (std::vector<std::string>{"a1", "a2", "a3", "a4"}));
    EXPECT_EQ(test::query(dir.file("data/liaison.db"), "SELECT state, count(*) FROM outbox GROUP BY state"),
              "sent|5\n");
}

TEST_F(StoreTest, ClaimingDueMessagesDoesNotWalkTheSentOnes) {
    // The outbox keeps every message sent; the claim must find the few due ones through the
    // partial index, not step through the history (it did: the planner preferred the table in
    // id order, 40 % of the store thread under load).
    SqliteStore store(options());
    OutboxMessage m;
    m.message.bot_id = "slack";
    ASSERT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
        for (int i = 0; i < 3000; ++i) {
            m.message.chat_id = "C" + std::to_string(i % 20);
            m.message.text = "reply " + std::to_string(i);
            if (!tx.outbox().enqueue(m, kNow)) {
                return errc::store_failure;
            }
        }
        auto all = tx.outbox().claim_due(kNow, 5000);
        if (!all || all->size() != 3000) {
            return errc::store_failure;
        }
        for (const auto& row : *all) {
            if (!tx.outbox().mark_sent(row.id, kNow)) {
                return errc::store_failure;
            }
        }
        return {};
    }));
    std::vector<OutboxMessage> claimed;
    int vm_steps = -1;
    int full_scan_steps = -1;
    ASSERT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
        m.message.chat_id = "C3";
        m.message.text = "the new one";
        if (!tx.outbox().enqueue(m, kNow + 1s)) {
            return errc::store_failure;
        }
        sqlite3* db = dynamic_cast<SqliteTx&>(tx).native();
        for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st != nullptr;
             st = sqlite3_next_stmt(db, st)) {
            sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1);
            sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
        }
        claimed = *tx.outbox().claim_due(kNow + 2s, 256);
        for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st != nullptr;
             st = sqlite3_next_stmt(db, st)) {
            if (std::string_view(sqlite3_sql(st)).starts_with("UPDATE outbox SET state = 'sending'")) {
                vm_steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
                full_scan_steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
            }
        }
        return {};
    }));
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].message.text, "the new one");
    EXPECT_EQ(full_scan_steps, 0);
    EXPECT_GE(vm_steps, 1);
    EXPECT_LT(vm_steps, 300) << "the claim stepped through the sent messages";
    // The open-message indexes hold only what is still to send.
    EXPECT_EQ(test::query(dir.file("data/liaison.db"),
                          "SELECT count(*) FROM outbox INDEXED BY outbox_open_queue "
                          "WHERE state IN ('pending', 'sending') AND bot_id = 'slack' AND queue = 'C3'"),
              "1\n");
}

TEST_F(StoreTest, ReschedulingARoundTouchesTheChatsQueueOnce) {
    // The platform is down: the worker claimed 256 of a chat's 600 queued messages, the first
    // failed, and the round goes back to pending behind it. Rescheduling used to run the "later
    // messages wait" update once per message of the round, each time rewriting (or at least
    // stepping through) the whole queue: quadratic, and the store thread stalled every
    // acknowledgement for hundreds of milliseconds (bench/run with the API down).
    SqliteStore store(options());
    OutboxMessage m;
    m.message.bot_id = "slack";
    std::vector<OutboxMessage> round;
    ASSERT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
        for (int i = 0; i < 600; ++i) {
            m.message.chat_id = "C";
            m.message.text = "queued " + std::to_string(i);
            if (!tx.outbox().enqueue(m, kNow)) {
                return errc::store_failure;
            }
        }
        m.message.chat_id = "D";
        m.message.text = "another chat";
        if (!tx.outbox().enqueue(m, kNow + 1s)) {
            return errc::store_failure;
        }
        round = *tx.outbox().claim_due(kNow, 256);
        return {};
    }));
    ASSERT_EQ(round.size(), 256u);
    std::vector<std::int64_t> ids;
    for (const auto& r : round) {
        ids.push_back(r.id);
    }
    std::int64_t vm_steps = 0;
    int changes = -1;
    std::vector<OutboxMessage> early;
    std::vector<OutboxMessage> later;
    ASSERT_TRUE(submit_sync(store, [&](Tx& tx) -> result<void> {
        sqlite3* db = dynamic_cast<SqliteTx&>(tx).native();
        const auto steps = [db](bool reset) {
            std::int64_t n = 0;
            for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st != nullptr;
                 st = sqlite3_next_stmt(db, st)) {
                n += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, reset ? 1 : 0);
            }
            return n;
        };
        (void)steps(true);
        const int before = sqlite3_total_changes(db);
        if (!tx.outbox().reschedule(ids, kNow + 30s, "Connection refused")) {
            return errc::store_failure;
        }
        changes = sqlite3_total_changes(db) - before;
        vm_steps = steps(false);
        early = *tx.outbox().claim_due(kNow + 2s, 1000);
        later = *tx.outbox().claim_due(kNow + 30s, 1000);
        return {};
    }));
    // Each of the chat's 600 messages is written once: the round's 256 and the 344 behind them.
    EXPECT_EQ(changes, 600);
    EXPECT_LT(vm_steps, 100'000) << "rescheduling stepped through the queue once per message";
    // The other chat is not held up; the chat's queue waits behind its first message, in order.
    ASSERT_EQ(early.size(), 1u);
    EXPECT_EQ(early[0].message.chat_id, "D");
    ASSERT_EQ(later.size(), 600u);
    EXPECT_EQ(later[0].message.text, "queued 0");
    EXPECT_EQ(later[0].attempts, 2);
    EXPECT_EQ(later[0].last_error, "Connection refused");
    EXPECT_EQ(later[599].message.text, "queued 599");
    EXPECT_EQ(later[599].attempts, 1);
}

TEST_F(StoreTest, CloseRunsEverythingSubmittedAndRefusesLaterWork) {
    SqliteStore store(options());
    std::atomic<int> ok{0};
    for (int i = 0; i < 200; ++i) {
        store.submit(remember("k" + std::to_string(i)), [&](result<void> r) { ok += r ? 1 : 0; });
    }
    store.close();
    EXPECT_EQ(ok, 200);
    EXPECT_EQ(count_rows(dir.file("data/liaison.db"), "SELECT count(*) FROM processed_events"), 200);
    std::optional<result<void>> late;
    store.submit(remember("late"), [&](result<void> r) { late = r; });
    ASSERT_TRUE(late);
    EXPECT_EQ(late->error(), make_error_code(errc::store_closed));
    store.close();  // idempotent
}

TEST_F(StoreTest, ManyThreadsManyUnitsAllCommittedExactlyOnce) {
    auto o = options();
    o.max_batch = 64;
    SqliteStore store(o);
    constexpr int kThreads = 4;
    constexpr int kPer = 250;
    std::latch done(kThreads * kPer);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPer; ++i) {
                store.submit(remember(std::to_string(t) + "-" + std::to_string(i)), [&](result<void> r) {
                    failures += r ? 0 : 1;
                    done.count_down();
                });
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    done.wait();
    store.close();
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(count_rows(dir.file("data/liaison.db"), "SELECT count(*) FROM processed_events"),
              kThreads * kPer);
    const std::lock_guard lock(log.mutex);
    std::size_t units = 0;
    for (const auto& [n, committed] : log.commits) {
        EXPECT_LE(n, 64u);
        EXPECT_TRUE(committed);
        units += n;
    }
    EXPECT_EQ(units, static_cast<std::size_t>(kThreads * kPer));
}

TEST(StoreOpen, ProcessesOpeningANewFileAtOnceMigrateItOnce) {
    // Four connections (as four processes would) create and migrate one new file concurrently.
    for (int round = 0; round < 5; ++round) {
        test::TempDir dir;
        std::latch go(4);
        std::vector<std::future<std::string>> opened;
        for (int i = 0; i < 4; ++i) {
            opened.push_back(std::async(std::launch::async, [&] {
                go.arrive_and_wait();
                try {
                    SqliteOptions o;
                    o.path = dir.file("shared.db");
                    SqliteStore store(o);
                    return std::to_string(store.schema_version());
                } catch (const std::exception& e) {
                    return std::string(e.what());
                }
            }));
        }
        for (auto& f : opened) {
            EXPECT_EQ(f.get(), std::to_string(sqlite_migrations().size()));
        }
        EXPECT_EQ(test::query(dir.file("shared.db"), "SELECT count(*) FROM schema_migrations"),
                  std::to_string(sqlite_migrations().size()) + "\n");
    }
}

// The outbox's statements run for every message and every delivery round: each must reach its
// rows through an index, never walk the table or a whole index. claim_batch once walked every
// pending row (its partial index's condition was not repeated), which with a platform down meant
// every row of every chat at each retry round.
TEST(StorePlans, TheOutboxStatementsReachTheirRowsThroughAnIndex) {
    test::TempDir dir;
    const std::string path = dir.file("liaison.db");
    {
        SqliteOptions o;
        o.path = path;
        SqliteStore migrated(o);
        migrated.close();
    }
    sqlite::Db db(path, 1s);
    sqlite::SqliteOutbox outbox(db);
    const TimePoint now = std::chrono::system_clock::now();
    OutboxMessage m;
    m.message.bot_id = "slack";
    m.message.chat_id = "C1";
    m.message.text = "hello";
    const auto id = outbox.enqueue(m, now);
    ASSERT_TRUE(id);
    ASSERT_TRUE(outbox.claim_due(now, 256, "h"));
    const std::vector<std::int64_t> ids{*id};
    ASSERT_TRUE(outbox.set_batch(ids));
    ASSERT_TRUE(outbox.reschedule(ids, now, "down", true));
    ASSERT_TRUE(outbox.claim_batch(*id, "h"));
    ASSERT_TRUE(outbox.mark_sent(*id, now));
    ASSERT_TRUE(outbox.fail(*id, "gone"));
    ASSERT_TRUE(outbox.probe("slack", now));
    ASSERT_TRUE(outbox.release("slack", now));
    ASSERT_TRUE(outbox.next_due());

    int statements = 0;
    for (sqlite3_stmt* st = sqlite3_next_stmt(db.native(), nullptr); st != nullptr;
         st = sqlite3_next_stmt(db.native(), st)) {
        const std::string sql = sqlite3_sql(st);
        if (sql.find("outbox") == std::string::npos) {
            continue;
        }
        ++statements;
        sqlite3_stmt* plan = nullptr;
        ASSERT_EQ(sqlite3_prepare_v2(db.native(), ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &plan, nullptr),
                  SQLITE_OK)
            << sql;
        std::string details;
        while (sqlite3_step(plan) == SQLITE_ROW) {
            details += reinterpret_cast<const char*>(sqlite3_column_text(plan, 3));
            details += "\n";
        }
        sqlite3_finalize(plan);
        EXPECT_EQ(details.find("SCAN"), std::string::npos) << sql << "\n" << details;
    }
    EXPECT_GE(statements, 10);
}

TEST(Backup, AFileThatAppearedMeanwhileIsNeverReplaced) {
    test::TempDir dir;
    const std::string partial = dir.write("copy.db.partial", "the finished copy");
    const std::string dest = dir.write("copy.db", "someone else's file, created while the copy was made");
    EXPECT_THROW(publish_no_replace(partial, dest), std::runtime_error);
    std::ifstream kept(dest);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}),
              "someone else's file, created while the copy was made");
    // Where nothing is in the way, the copy is published and the partial file is gone.
    const std::string fresh = dir.file("fresh.db");
    publish_no_replace(partial, fresh);
    std::ifstream published(fresh);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(published), {}), "the finished copy");
    EXPECT_FALSE(std::filesystem::exists(partial));
}

}  // namespace
}  // namespace bot::store
