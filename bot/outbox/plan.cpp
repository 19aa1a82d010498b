#include "bot/outbox/plan.hpp"

#include "bot/core/unicode.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace bot::outbox {
namespace {

constexpr std::string_view kJoin = "\n\n";

}  // namespace

std::vector<std::string> split_text(std::string_view text, std::size_t max_bytes) {
    std::vector<std::string> parts;
    if (max_bytes < 4) {
        max_bytes = 4;
    }
    while (text.size() > max_bytes) {
        std::size_t cut = unicode::utf8_floor(text, max_bytes);
        const auto nl = text.rfind('\n', cut);
        if (nl != std::string_view::npos && nl > max_bytes / 2) {
            cut = nl + 1;  // prefer a line break in the second half
        }
        parts.emplace_back(text.substr(0, cut));
        text.remove_prefix(cut);
    }
    if (!text.empty() || parts.empty()) {
        parts.emplace_back(text);
    }
    return parts;
}

std::vector<std::vector<std::int64_t>> form_batches(std::vector<store::OutboxMessage>& queue,
                                                    std::size_t max_bytes) {
    std::vector<std::vector<std::int64_t>> batches;
    std::size_t run_start = 0;
    std::size_t run_bytes = 0;
    const auto close_run = [&](std::size_t end) {
        if (end - run_start >= 2) {
            batches.emplace_back();
            for (std::size_t k = run_start; k < end; ++k) {
                queue[k].batch = queue[run_start].id;
                batches.back().push_back(queue[k].id);
            }
        }
    };
    // A message retried, or already in a batch, keeps how it was sent: it never joins a run.
    const auto fresh = [](const store::OutboxMessage& m) {
        return m.attempts <= 1 && m.batch == 0 && !m.message.doc;
    };
    for (std::size_t i = 0; i < queue.size(); ++i) {
        const store::OutboxMessage& m = queue[i];
        const store::OutboxMessage* first = run_start < i ? &queue[run_start] : nullptr;
        const bool joins = first != nullptr && fresh(m) && fresh(*first) &&
                           first->message.chat_id == m.message.chat_id &&
                           first->message.mention_user_id == m.message.mention_user_id &&
                           first->message.direct == m.message.direct && first->context == m.context &&
                           run_bytes + kJoin.size() + m.message.text.size() <= max_bytes;
        if (joins) {
            run_bytes += kJoin.size() + m.message.text.size();
            continue;
        }
        close_run(i);
        run_start = i;
        run_bytes = m.message.text.size();
    }
    close_run(queue.size());
    return batches;
}

std::vector<Delivery> plan(const std::vector<store::OutboxMessage>& messages,
                           std::size_t max_bytes,
                           const Adapter* adapter) {
    const std::function<std::size_t(const Doc&)> measure = [adapter](const Doc& d) {
        return adapter != nullptr ? adapter->rendered_bytes(d) : plain_text(d).size();
    };
    const std::size_t max_doc = adapter != nullptr ? adapter->max_doc_bytes() : max_bytes;
    std::vector<Delivery> out;
    for (const auto& row : messages) {
        const Message& m = row.message;
        Delivery* last = out.empty() ? nullptr : &out.back();
        if (row.batch != 0 && last != nullptr && last->batch == row.batch) {
            last->message.doc.reset();  // never formed with a doc (form_batches); plain if ever
            last->message.text += kJoin;
            last->message.text += m.text;
            last->ids.push_back(row.id);
            // The batch's rows never change, so neither does its key.
            last->message.idempotency_key =
                "liaison-" + std::to_string(row.batch) + "-" + std::to_string(row.id);
            continue;
        }
        std::vector<Message> parts;
        if (m.doc) {
            for (auto& part : split(*m.doc, measure, max_doc)) {
                parts.push_back(with_doc(m, std::move(part)));
            }
        } else {
            for (auto& part : split_text(m.text, max_bytes)) {
                parts.push_back(m);
                parts.back().text = std::move(part);
            }
        }
        for (std::size_t i = 0; i < parts.size(); ++i) {
            Delivery d;
            // Stable across retries and restarts: the same row and part always get the same key.
            d.message = std::move(parts[i]);
            d.message.idempotency_key = "liaison-" + std::to_string(row.id) + "-p" + std::to_string(i);
            d.context = row.context;
            d.batch = row.batch;
            if (i + 1 == parts.size()) {
                d.ids.push_back(row.id);
            }
            out.push_back(std::move(d));
        }
    }
    return out;
}

std::chrono::milliseconds backoff(int attempt,
                                  std::chrono::milliseconds base,
                                  std::chrono::milliseconds cap,
                                  double jitter01) {
    const int exp = std::clamp(attempt - 1, 0, 30);
    const double raw = static_cast<double>(base.count()) * std::pow(2.0, exp);
    const double capped = std::min(raw, static_cast<double>(cap.count()));
    const double jittered = capped * (0.8 + 0.4 * std::clamp(jitter01, 0.0, 1.0));
    return std::chrono::milliseconds(static_cast<std::int64_t>(jittered));
}

TokenBucket::TokenBucket(double per_minute, double capacity, TimePoint now)
    : per_second_(std::max(per_minute, 0.001) / 60.0),
      capacity_(std::max(capacity, 1.0)),
      tokens_(capacity_),
      last_(now) {}

void TokenBucket::refill(TimePoint now) {
    if (now > last_) {
        const double seconds = std::chrono::duration<double>(now - last_).count();
        tokens_ = std::min(capacity_, tokens_ + seconds * per_second_);
        last_ = now;
    }
}

TimePoint TokenBucket::next_allowed(TimePoint now) {
    refill(now);
    if (tokens_ >= 1.0) {
        return now;
    }
    const double wait = (1.0 - tokens_) / per_second_;
    return now + std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(wait));
}

void TokenBucket::take(TimePoint now) {
    refill(now);
    tokens_ = std::max(0.0, tokens_ - 1.0);
}

}  // namespace bot::outbox
