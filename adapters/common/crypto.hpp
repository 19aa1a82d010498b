#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/// Small wrappers over OpenSSL 3 EVP used by every adapter. Pure functions, thread-safe.
namespace bot::adapters::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

/// Lower-case hex.
std::string to_hex(const std::uint8_t* data, std::size_t size);
template <std::size_t N>
std::string to_hex(const std::array<std::uint8_t, N>& a) {
    return to_hex(a.data(), a.size());
}

/// Standard Base64 with padding.
std::string base64(const std::uint8_t* data, std::size_t size);
template <std::size_t N>
std::string base64(const std::array<std::uint8_t, N>& a) {
    return base64(a.data(), a.size());
}

/// Decodes standard Base64 (whitespace ignored); nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);

Sha256Digest sha256(std::string_view data);

/// SHA-1 (WeCom signatures), lower-case hex.
std::string sha1_hex(std::string_view data);

/// AES-256-CBC without padding (the caller pads and checks padding; WeCom pads to 32 bytes).
std::optional<std::string> aes256_cbc_decrypt_nopad(std::string_view key,
                                                    std::string_view iv,
                                                    std::string_view ciphertext);
std::optional<std::string> aes256_cbc_encrypt_nopad(std::string_view key,
                                                    std::string_view iv,
                                                    std::string_view plaintext);

/// AES-256-CBC with standard 16-byte PKCS#7 padding (Feishu). Decryption checks the padding
/// strictly and returns nullopt on any error. `key` is 32 bytes, `iv` 16.
std::optional<std::string> aes256_cbc_decrypt(std::string_view key,
                                              std::string_view iv,
                                              std::string_view ciphertext);
std::string aes256_cbc_encrypt(std::string_view key, std::string_view iv, std::string_view plaintext);

/// `n` random bytes from OpenSSL's generator.
std::string random_bytes(std::size_t n);

/// Constant-time equality of two byte strings (CRYPTO_memcmp); different lengths compare unequal
/// without looking at the contents.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace bot::adapters::crypto

namespace bot::adapters {
/// Removes ASCII whitespace at both ends, in place.
void trim(std::string& s);
}  // namespace bot::adapters
