#include "adapters/common/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace bot::adapters::crypto {

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
    Sha256Digest out{};
    unsigned int len = 0;
    const auto* md = HMAC(EVP_sha256(),
                          key.data(),
                          static_cast<int>(key.size()),
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size(),
                          out.data(),
                          &len);
    if (md == nullptr || len != out.size()) {
        throw std::runtime_error("HMAC-SHA256 failed");  // only on OpenSSL misconfiguration: a bug
    }
    return out;
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += kDigits[data[i] >> 4];
        out += kDigits[data[i] & 0x0f];
    }
    return out;
}

std::string base64(const std::uint8_t* data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    for (const char c : text) {
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            clean += c;
        }
    }
    if (clean.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out(clean.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(clean.data()),
                                  static_cast<int>(clean.size()));
    if (n < 0) {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts '=' padding as data bytes (protocols.md §0.8): drop them.
    std::size_t size = static_cast<std::size_t>(n);
    for (std::size_t k = clean.size(); k > 0 && clean[k - 1] == '=' && size > 0; --k) {
        --size;
    }
    out.resize(size);
    return out;
}

Sha256Digest sha256(std::string_view data) {
    Sha256Digest out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
        len != out.size()) {
        throw std::runtime_error("SHA-256 failed");
    }
    return out;
}

namespace {
struct CipherCtx {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
    CipherCtx() = default;
    CipherCtx(const CipherCtx&) = delete;
    CipherCtx& operator=(const CipherCtx&) = delete;
};
const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

std::optional<std::string> aes256_cbc_decrypt(std::string_view key,
                                              std::string_view iv,
                                              std::string_view ciphertext) {
    if (key.size() != 32 || iv.size() != 16 || ciphertext.empty() || ciphertext.size() % 16 != 0) {
        return std::nullopt;
    }
    CipherCtx c;
    std::string out(ciphertext.size() + 16, '\0');
    int n = 0;
    int tail = 0;
    if (c.ctx == nullptr ||
        EVP_DecryptInit_ex(c.ctx, EVP_aes_256_cbc(), nullptr, bytes(key), bytes(iv)) != 1 ||
        EVP_DecryptUpdate(c.ctx,
                          reinterpret_cast<unsigned char*>(out.data()),
                          &n,
                          bytes(ciphertext),
                          static_cast<int>(ciphertext.size())) != 1 ||
        EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &tail) != 1) {
        return std::nullopt;  // includes a bad PKCS#7 padding
    }
    out.resize(static_cast<std::size_t>(n + tail));
    return out;
}

std::string aes256_cbc_encrypt(std::string_view key, std::string_view iv, std::string_view plaintext) {
    CipherCtx c;
    std::string out(plaintext.size() + 32, '\0');
    int n = 0;
    int tail = 0;
    if (c.ctx == nullptr || key.size() != 32 || iv.size() != 16 ||
        EVP_EncryptInit_ex(c.ctx, EVP_aes_256_cbc(), nullptr, bytes(key), bytes(iv)) != 1 ||
        EVP_EncryptUpdate(c.ctx,
                          reinterpret_cast<unsigned char*>(out.data()),
                          &n,
                          bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &tail) != 1) {
        throw std::runtime_error("AES-256-CBC encryption failed");
    }
    out.resize(static_cast<std::size_t>(n + tail));
    return out;
}

std::string sha1_hex(std::string_view data) {
    std::array<std::uint8_t, 20> out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha1(), nullptr) != 1 ||
        len != out.size()) {
        throw std::runtime_error("SHA-1 failed");
    }
    return to_hex(out);
}

namespace {
std::optional<std::string> cbc_nopad(bool encrypt,
                                     std::string_view key,
                                     std::string_view iv,
                                     std::string_view in) {
    if (key.size() != 32 || iv.size() != 16 || in.empty() || in.size() % 16 != 0) {
        return std::nullopt;
    }
    CipherCtx c;
    std::string out(in.size() + 16, '\0');
    int n = 0;
    int tail = 0;
    if (c.ctx == nullptr ||
        EVP_CipherInit_ex(c.ctx, EVP_aes_256_cbc(), nullptr, bytes(key), bytes(iv), encrypt ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_set_padding(c.ctx, 0) != 1 ||
        EVP_CipherUpdate(c.ctx,
                         reinterpret_cast<unsigned char*>(out.data()),
                         &n,
                         bytes(in),
                         static_cast<int>(in.size())) != 1 ||
        EVP_CipherFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &tail) != 1) {
        return std::nullopt;
    }
    out.resize(static_cast<std::size_t>(n + tail));
    return out;
}
}  // namespace

std::optional<std::string> aes256_cbc_decrypt_nopad(std::string_view key,
                                                    std::string_view iv,
                                                    std::string_view ciphertext) {
    return cbc_nopad(false, key, iv, ciphertext);
}

std::optional<std::string> aes256_cbc_encrypt_nopad(std::string_view key,
                                                    std::string_view iv,
                                                    std::string_view plaintext) {
    return cbc_nopad(true, key, iv, plaintext);
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bot::adapters::crypto

namespace bot::adapters {
void trim(std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        s.clear();
        return;
    }
    s.erase(s.find_last_not_of(" \t\r\n") + 1);
    s.erase(0, first);
}
}  // namespace bot::adapters
