#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bot {

/// An HTTP request as the server hands it to routes and adapters: the raw body bytes are kept
/// exactly as received (signatures are computed over them). Header names are lower-case.
struct HttpRequest {
    std::string method;
    std::string target;  ///< as sent, e.g. /hooks/demo?timestamp=1
    std::string path;    ///< percent-decoded path, e.g. /hooks/demo
    std::string query;   ///< raw query string without '?', still percent-encoded
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string remote;      ///< peer address, for logs
    std::string request_id;  ///< correlation id, also sent back as X-Request-Id

    /// First header with this (lower-case) name.
    std::optional<std::string_view> header(std::string_view lower_name) const;
    /// Percent-decoded value of the first query parameter with this name. `plus_is_space`: decode
    /// '+' as a space (forms); WeCom's base64 echostr needs false.
    std::optional<std::string> query_param(std::string_view name, bool plus_is_space = true) const;
};

struct HttpResponse {
    unsigned status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static HttpResponse text(unsigned status, std::string body);
    static HttpResponse json(unsigned status, std::string body);
    /// `{"error": reason, "request_id": id}`, built with the JSON library (reasons may quote user
    /// input). The server adds the one `X-Request-Id` header to every response.
    static HttpResponse error(unsigned status, std::string_view reason, std::string_view request_id);
};

/// An HTTP header name in lower case (names are ASCII; how requests and responses keep them).
std::string lower_header_name(std::string_view name);

/// Decodes %XX escapes and '+' (as in application/x-www-form-urlencoded); nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

/// Encodes every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~) as %XX: a query value.
std::string percent_encode(std::string_view in);

}  // namespace bot
