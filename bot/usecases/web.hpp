#pragma once

#include "bot/usecases/deps.hpp"
#include "handlers/session.hpp"

#include <optional>
#include <string>
#include <string_view>

/// Signing in to the pages (docs/web.md): a one-time link asked for in chat (网页填报), opened in
/// a browser, becomes a session cookie. Only the SHA-256 of each secret is stored.
namespace bot::usecase {

/// The SHA-256 (hex) a secret is stored as.
std::string secret_hash(std::string_view secret);

/// A one-time link for `person_id` in `chat` (the draft the pages continue), valid for
/// `deps.web.link_ttl`, asked by `actor` (the person in chat: 网页填报; an operator: web-link).
/// Audited (web.link). Returns the token for the link.
result<std::string> issue_sign_in(const Deps& deps,
                                  store::Tx& tx,
                                  const Actor& actor,
                                  const std::string& person_id,
                                  const store::SessionKey& chat,
                                  TimePoint now);

/// A browser signed in: the cookie's value (sent once, never stored) and its session.
struct SignedIn {
    std::string cookie;
    store::WebSession session;
};

/// Opens a link: a new session for its person, or nullopt when the link is unknown, used or
/// expired (nothing is told apart: a guess learns nothing). The browser's previous session
/// (`previous_cookie`, may be empty) is revoked: a session is never carried across a sign-in.
/// Audited (web.signed_in, the person as actor, `remote` as the request).
result<std::optional<SignedIn>> open_sign_in(const Deps& deps,
                                             store::Tx& tx,
                                             std::string_view token,
                                             std::string_view previous_cookie,
                                             std::string_view request_id,
                                             TimePoint now);

/// The chat whose draft the pages continue for `person`: `wanted` when given, else the first chat
/// they file a report in — of `bot` when given (a platform's sign-in), of any bot otherwise.
const handlers::Chat* sign_in_chat(const Deps& deps,
                                   const handlers::Person& person,
                                   std::string_view bot,
                                   std::string_view wanted);

/// A browser the platform of `account.bot_id` identified as its user `account.user_id` (the in-app
/// sign-in: an OAuth code or a Mini App's launch data, verified by the adapter): a new session for
/// the person with that account, in their first listed chat of that bot, else in their own
/// conversation with it (`private_chat`, when the platform names one after the person); nullopt
/// when no one on the roster has the account or they file in no such chat. The browser's previous
/// session is revoked, as for a link. Audited (web.signed_in, `via` saying how).
result<std::optional<SignedIn>> platform_sign_in(const Deps& deps,
                                                 store::Tx& tx,
                                                 const store::SessionKey& account,
                                                 std::string_view platform,
                                                 std::string_view private_chat,
                                                 std::string_view via,
                                                 std::string_view previous_cookie,
                                                 std::string_view request_id,
                                                 TimePoint now);

/// The live session of a cookie (not revoked, not idle longer than `deps.web.idle`), marked seen.
result<std::optional<store::WebSession>> web_session(const Deps& deps,
                                                     store::Tx& tx,
                                                     std::string_view cookie,
                                                     TimePoint now);

/// Who acts on the pages: the signed-in person, as the audit log records them.
Actor web_actor(const Deps& deps, const store::WebSession& session, std::string_view request_id);

/// The chat's draft the pages continue (the session of the chat the sign-in link was asked in).
result<std::optional<handlers::Session>> draft(store::Tx& tx, const store::SessionKey& chat);

/// The type of an image by its first bytes — JPEG, PNG, WebP, HEIC/HEIF — or empty: what a browser
/// says a file is counts for nothing.
std::string image_type(std::string_view bytes);

/// A photo uploaded on the pages: its id, or why it is refused (a catalogue key, `max` its size
/// limit in MB).
struct Uploaded {
    std::string id;
    std::string refusal;
};

/// Keeps a photo of `actor` (a signed-in person): refused when empty, larger than
/// `deps.web.upload_bytes`, not an image of an allowed type, or over the person's uploads of the
/// last 24 hours. Audited (web.uploaded). Attaching it to a draft is the conversation's
/// (FormPost::attach). Uploads are kept like reports (one taken off a draft is not deleted yet).
result<Uploaded> upload_photo(
    const Deps& deps, store::Tx& tx, const Actor& actor, std::string bytes, TimePoint now);

/// A photo as its owner may see it; nullopt for someone else's or an unknown one.
result<std::optional<store::Upload>> photo(store::Tx& tx,
                                           const store::WebSession& session,
                                           std::string_view id);

/// Signing out: the session is revoked. Audited (web.signed_out).
result<void> sign_out(store::Tx& tx, const Actor& actor, std::string_view cookie, TimePoint now);

}  // namespace bot::usecase
