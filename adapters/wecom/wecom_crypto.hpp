#pragma once

#include "bot/core/errors.hpp"
#include "bot/core/http.hpp"

#include <optional>
#include <string>
#include <string_view>

/// WXBizMsgCrypt (../shared/protocols.md §1.2), shared by the WeCom self-built app and AI bot.
namespace bot::adapters::wecom {

class MsgCrypt {
public:
    /// `encoding_aes_key`: the 43-character EncodingAESKey; `receive_id`: CorpID for an app, "" for
    /// the AI bot. Throws std::invalid_argument when the key does not decode to 32 bytes.
    MsgCrypt(std::string token, std::string_view encoding_aes_key, std::string receive_id);

    /// SHA-1 hex of {token, timestamp, nonce, encrypt} sorted byte-wise.
    std::string signature(std::string_view timestamp, std::string_view nonce, std::string_view encrypt) const;
    bool verify(std::string_view msg_signature,
                std::string_view timestamp,
                std::string_view nonce,
                std::string_view encrypt) const;
    /// Base64 → AES-256-CBC (no OpenSSL padding) → strict 1..32 PKCS#7 → random16 | len | msg | id.
    /// errc::bad_signature when anything does not check out (including another receive id).
    result<std::string> decrypt(std::string_view encrypt) const;
    /// The inverse, with `random16` given (tests) or drawn.
    std::string encrypt(std::string_view msg, std::string random16 = {}) const;

    /// GET URL verification (§1.3): checks the signature over echostr and returns the plaintext to
    /// answer with, or bad_signature / malformed.
    result<std::string> verify_url(const HttpRequest& request) const;

private:
    std::string token_;
    std::string key_;
    std::string receive_id_;
};

/// Text of the first <Tag>…</Tag> (CDATA or plain with the five XML entities decoded); nullopt when
/// absent. Enough for WeCom's flat messages; never expands other entities (no XXE).
std::optional<std::string> xml_field(std::string_view xml, std::string_view tag);

}  // namespace bot::adapters::wecom
