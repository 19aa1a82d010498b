#include "adapters/wecom/wecom_crypto.hpp"

#include "adapters/common/crypto.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

namespace bot::adapters::wecom {

MsgCrypt::MsgCrypt(std::string token, std::string_view encoding_aes_key, std::string receive_id)
    : token_(std::move(token)), receive_id_(std::move(receive_id)) {
    const auto key = encoding_aes_key.size() == 43
                         ? crypto::base64_decode(std::string(encoding_aes_key) + "=")
                         : std::nullopt;
    if (!key || key->size() != 32) {
        throw std::invalid_argument("EncodingAESKey must be 43 characters that decode to 32 bytes");
    }
    key_ = *key;
}

std::string MsgCrypt::signature(std::string_view timestamp,
                                std::string_view nonce,
                                std::string_view encrypt) const {
    std::array<std::string_view, 4> parts{token_, timestamp, nonce, encrypt};
    std::sort(parts.begin(), parts.end());
    std::string joined;
    for (const auto p : parts) {
        joined += p;
    }
    return crypto::sha1_hex(joined);
}

bool MsgCrypt::verify(std::string_view msg_signature,
                      std::string_view timestamp,
                      std::string_view nonce,
                      std::string_view encrypt) const {
    return crypto::constant_time_equal(msg_signature, signature(timestamp, nonce, encrypt));
}

result<std::string> MsgCrypt::decrypt(std::string_view encrypt) const {
    const auto raw = crypto::base64_decode(encrypt);
    if (!raw) {
        return errc::malformed;
    }
    const auto buf = crypto::aes256_cbc_decrypt_nopad(key_, std::string_view(key_).substr(0, 16), *raw);
    if (!buf || buf->size() < 20 + 1) {
        return errc::bad_signature;
    }
    // 2. Strict PKCS#7 to 32-byte blocks (a pad byte up to 32, which OpenSSL's own check refuses).
    const auto pad = static_cast<unsigned char>(buf->back());
    if (pad < 1 || pad > 32 || pad > buf->size()) {
        return errc::bad_signature;
    }
    for (std::size_t i = buf->size() - pad; i < buf->size(); ++i) {
        if (static_cast<unsigned char>((*buf)[i]) != pad) {
            return errc::bad_signature;
        }
    }
    const std::string_view plain(buf->data(), buf->size() - pad);
    if (plain.size() < 20) {
        return errc::bad_signature;
    }
    // 3. random[16] | msg_len (big-endian) | msg | receive_id
    const auto b = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(plain[i]));
    };
    const std::uint32_t len = (b(16) << 24) | (b(17) << 16) | (b(18) << 8) | b(19);
    if (len > plain.size() - 20) {
        return errc::bad_signature;
    }
    const std::string_view msg = plain.substr(20, len);
    const std::string_view id = plain.substr(20 + len);
    if (!crypto::constant_time_equal(id, receive_id_)) {
        return errc::bad_signature;  // another corp's or app's message
    }
    return std::string(msg);
}

std::string MsgCrypt::encrypt(std::string_view msg, std::string random16) const {
    if (random16.size() != 16) {
        random16 = crypto::random_bytes(16);
    }
    std::string p = random16;
    const auto len = static_cast<std::uint32_t>(msg.size());
    p += static_cast<char>((len >> 24) & 0xff);
    p += static_cast<char>((len >> 16) & 0xff);
    p += static_cast<char>((len >> 8) & 0xff);
    p += static_cast<char>(len & 0xff);
    p += msg;
    p += receive_id_;
    const std::size_t pad = 32 - p.size() % 32;
    p.append(pad, static_cast<char>(pad));
    const auto ct = crypto::aes256_cbc_encrypt_nopad(key_, std::string_view(key_).substr(0, 16), p);
    return crypto::base64(reinterpret_cast<const std::uint8_t*>(ct->data()), ct->size());
}

result<std::string> MsgCrypt::verify_url(const HttpRequest& request) const {
    const auto sig = request.query_param("msg_signature", false);
    const auto ts = request.query_param("timestamp", false);
    const auto nonce = request.query_param("nonce", false);
    const auto echostr = request.query_param("echostr", false);
    if (!sig || !ts || !nonce || !echostr) {
        return errc::malformed;
    }
    if (!verify(*sig, *ts, *nonce, *echostr)) {
        return errc::bad_signature;
    }
    return decrypt(*echostr);
}

std::optional<std::string> xml_field(std::string_view xml, std::string_view tag) {
    const std::string open = "<" + std::string(tag) + ">";
    const std::string close = "</" + std::string(tag) + ">";
    const auto start = xml.find(open);
    if (start == std::string_view::npos) {
        return std::nullopt;
    }
    const auto begin = start + open.size();
    const auto end = xml.find(close, begin);
    if (end == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view inner = xml.substr(begin, end - begin);
    constexpr std::string_view kCdataOpen = "<![CDATA[";
    constexpr std::string_view kCdataClose = "]]>";
    const auto trimmed_begin = inner.find_first_not_of(" \t\r\n");
    if (trimmed_begin != std::string_view::npos && inner.substr(trimmed_begin).starts_with(kCdataOpen)) {
        const auto cdata = inner.substr(trimmed_begin + kCdataOpen.size());
        const auto stop = cdata.find(kCdataClose);
        if (stop == std::string_view::npos) {
            return std::nullopt;
        }
        return std::string(cdata.substr(0, stop));
    }
    std::string out;
    for (std::size_t i = 0; i < inner.size(); ++i) {
        if (inner[i] != '&') {
            out += inner[i];
            continue;
        }
        static const std::vector<std::pair<std::string_view, char>> kEntities{
            {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
        bool matched = false;
        for (const auto& [entity, ch] : kEntities) {
            if (inner.substr(i, entity.size()) == entity) {
                out += ch;
                i += entity.size() - 1;
                matched = true;
                break;
            }
        }
        if (!matched) {
            out += '&';  // other entities are left as text, never expanded
        }
    }
    return out;
}

}  // namespace bot::adapters::wecom
