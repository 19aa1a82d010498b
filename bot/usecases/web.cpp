#include "bot/usecases/web.hpp"

#include "adapters/common/crypto.hpp"

namespace bot::usecase {
namespace {

/// 32 random bytes as base64url without padding: 43 characters, safe in a URL and a cookie.
std::string new_secret() {
    std::string b64 = adapters::crypto::base64(
        reinterpret_cast<const std::uint8_t*>(adapters::crypto::random_bytes(32).data()), 32);
    std::string out;
    for (const char c : b64) {
        if (c == '+') {
            out += '-';
        } else if (c == '/') {
            out += '_';
        } else if (c != '=') {
            out += c;
        }
    }
    return out;
}

}  // namespace

std::string secret_hash(std::string_view secret) {
    return adapters::crypto::to_hex(adapters::crypto::sha256(secret));
}

result<std::string> issue_sign_in(const Deps& deps,
                                  store::Tx& tx,
                                  const Actor& actor,
                                  const std::string& person_id,
                                  const store::SessionKey& chat,
                                  TimePoint now) {
    std::string token = new_secret();
    const store::SignInLink link{.hash = secret_hash(token),
                                 .person_id = person_id,
                                 .chat = chat,
                                 .created_at = now,
                                 .expires_at = now + deps.web.link_ttl};
    if (auto added = tx.web().add_link(link); !added) {
        return added.error();
    }
    // The link's hash prefix names it in the audit log; the token itself is never written down.
    if (auto a = tx.audit().append(
            actor.entry(now, "web.link", "person " + person_id, "", link.hash.substr(0, 12)));
        !a) {
        return a.error();
    }
    return token;
}

namespace {

/// A new session for `person_id` in `chat`; the browser's previous one revoked. Audited.
result<SignedIn> start_session(const Deps& deps,
                               store::Tx& tx,
                               const std::string& person_id,
                               const store::SessionKey& chat,
                               std::string_view via,
                               std::string_view request_id,
                               TimePoint now) {
    SignedIn in{.cookie = new_secret(),
                .session = {.hash = {},
                            .person_id = person_id,
                            .chat = chat,
                            .csrf = new_secret(),
                            .created_at = now,
                            .seen_at = now}};
    in.session.hash = secret_hash(in.cookie);
    if (auto added = tx.web().add_session(in.session); !added) {
        return added.error();
    }
    const Actor actor = web_actor(deps, in.session, request_id);
    if (auto a =
            tx.audit().append(actor.entry(now, "web.signed_in", "person " + actor.id, "", std::string(via)));
        !a) {
        return a.error();
    }
    return in;
}

result<void> revoke_previous(store::Tx& tx, std::string_view previous_cookie, TimePoint now) {
    if (previous_cookie.empty()) {
        return {};
    }
    auto r = tx.web().revoke(secret_hash(previous_cookie), now);
    return r ? result<void>{} : result<void>(r.error());
}

}  // namespace

result<std::optional<SignedIn>> open_sign_in(const Deps& deps,
                                             store::Tx& tx,
                                             std::string_view token,
                                             std::string_view previous_cookie,
                                             std::string_view request_id,
                                             TimePoint now) {
    if (auto r = revoke_previous(tx, previous_cookie, now); !r) {
        return r.error();
    }
    auto link = tx.web().use_link(secret_hash(token), now);
    if (!link) {
        return link.error();
    }
    if (!*link || deps.roster.person_by_id((*link)->person_id) == nullptr) {
        return std::optional<SignedIn>();  // unknown, used, expired, or no longer on the roster
    }
    auto in = start_session(deps, tx, (*link)->person_id, (*link)->chat, "", request_id, now);
    return in ? result<std::optional<SignedIn>>(std::move(*in)) : result<std::optional<SignedIn>>(in.error());
}

const handlers::Chat* sign_in_chat(const Deps& deps,
                                   const handlers::Person& person,
                                   std::string_view bot,
                                   std::string_view wanted) {
    for (const auto& chat : deps.roster.chats()) {
        if ((wanted.empty() || chat.id == wanted) && (bot.empty() || chat.bot.empty() || chat.bot == bot) &&
            !deps.roster.templates_for(deps.templates, chat.id, person).empty()) {
            return &chat;
        }
    }
    return nullptr;
}

result<std::optional<SignedIn>> platform_sign_in(const Deps& deps,
                                                 store::Tx& tx,
                                                 const store::SessionKey& account,
                                                 std::string_view platform,
                                                 std::string_view private_chat,
                                                 std::string_view via,
                                                 std::string_view previous_cookie,
                                                 std::string_view request_id,
                                                 TimePoint now) {
    if (auto r = revoke_previous(tx, previous_cookie, now); !r) {
        return r.error();
    }
    const handlers::Person* person = deps.roster.person(account.bot_id, platform, account.user_id);
    const handlers::Chat* chat =
        person != nullptr ? sign_in_chat(deps, *person, account.bot_id, "") : nullptr;
    const bool in_private = chat == nullptr && person != nullptr && !private_chat.empty() &&
                            !deps.roster.templates_for(deps.templates, private_chat, *person).empty();
    if (chat == nullptr && !in_private) {
        return std::optional<SignedIn>();
    }
    const store::SessionKey key{
        account.bot_id, in_private ? std::string(private_chat) : chat->id, account.user_id};
    auto in = start_session(deps, tx, person->id, key, via, request_id, now);
    return in ? result<std::optional<SignedIn>>(std::move(*in)) : result<std::optional<SignedIn>>(in.error());
}

result<std::optional<store::WebSession>> web_session(const Deps& deps,
                                                     store::Tx& tx,
                                                     std::string_view cookie,
                                                     TimePoint now) {
    if (cookie.empty()) {
        return std::optional<store::WebSession>();
    }
    auto s = tx.web().session(secret_hash(cookie), now - deps.web.idle, now);
    if (!s) {
        return s.error();
    }
    if (*s && deps.roster.person_by_id((*s)->person_id) == nullptr) {
        return std::optional<store::WebSession>();  // removed from the roster since
    }
    return s;
}

Actor web_actor(const Deps& deps, const store::WebSession& session, std::string_view request_id) {
    const handlers::Person* p = deps.roster.person_by_id(session.person_id);
    return {.person = p,
            .id = session.person_id,
            .account = "web:" + session.person_id,
            .role = p != nullptr ? handlers::role_name(p->role) : "stranger",
            .request_id = std::string(request_id)};
}

result<std::optional<handlers::Session>> draft(store::Tx& tx, const store::SessionKey& chat) {
    auto stored = tx.sessions().load(chat);
    if (!stored) {
        return stored.error();
    }
    if (!*stored) {
        return std::optional<handlers::Session>();
    }
    return handlers::session_from_json(**stored);
}

result<void> sign_out(store::Tx& tx, const Actor& actor, std::string_view cookie, TimePoint now) {
    auto revoked = tx.web().revoke(secret_hash(cookie), now);
    if (!revoked) {
        return revoked.error();
    }
    if (!*revoked) {
        return {};
    }
    auto a = tx.audit().append(actor.entry(now, "web.signed_out", "person " + actor.id, "", ""));
    return a ? result<void>{} : result<void>{a.error()};
}

std::string image_type(std::string_view b) {
    const auto at = [&](std::size_t offset, std::string_view magic) {
        return b.size() >= offset + magic.size() && b.substr(offset, magic.size()) == magic;
    };
    if (at(0, "\xFF\xD8\xFF")) {
        return "image/jpeg";
    }
    if (at(0, "\x89PNG\r\n\x1A\n")) {
        return "image/png";
    }
    if (at(0, "RIFF") && at(8, "WEBP")) {
        return "image/webp";
    }
    // ISO base media: "ftyp" at 4, then the brand (iPhones' photos).
    for (const std::string_view brand : {"heic", "heix", "heim", "heis", "mif1", "msf1"}) {
        if (at(4, "ftyp") && at(8, brand)) {
            return "image/heic";
        }
    }
    return {};
}

result<Uploaded> upload_photo(
    const Deps& deps, store::Tx& tx, const Actor& actor, std::string bytes, TimePoint now) {
    if (bytes.empty()) {
        return Uploaded{{}, "web.photo_empty"};
    }
    if (bytes.size() > deps.web.upload_bytes) {
        return Uploaded{{}, "web.photo_too_large"};
    }
    const std::string mime = image_type(bytes);
    if (mime.empty()) {
        return Uploaded{{}, "web.photo_type"};
    }
    auto today = tx.web().uploads_since(actor.id, now - std::chrono::hours(24));
    if (!today) {
        return today.error();
    }
    if (*today >= deps.web.uploads_per_day) {
        return Uploaded{{}, "web.photo_too_many"};
    }
    const std::string random = adapters::crypto::random_bytes(16);
    store::Upload u{
        .id = adapters::crypto::to_hex(reinterpret_cast<const std::uint8_t*>(random.data()), random.size()),
        .person_id = actor.id,
        .mime = mime,
        .sha256 = secret_hash(bytes),
        .bytes = std::move(bytes),
        .created_at = now};
    if (auto added = tx.web().add_upload(u); !added) {
        return added.error();
    }
    const std::string after =
        u.mime + " " + std::to_string(u.bytes.size()) + " bytes, sha256 " + u.sha256.substr(0, 16);
    if (auto a = tx.audit().append(actor.entry(now, "web.uploaded", "upload " + u.id, "", after)); !a) {
        return a.error();
    }
    return Uploaded{u.id, {}};
}

result<std::optional<store::Upload>> photo(store::Tx& tx,
                                           const store::WebSession& session,
                                           std::string_view id) {
    auto u = tx.web().upload(id);
    if (!u) {
        return u.error();
    }
    if (*u && (*u)->person_id != session.person_id) {
        return std::optional<store::Upload>();  // never someone else's, whatever the URL says
    }
    return u;
}

}  // namespace bot::usecase
