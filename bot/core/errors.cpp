#include "bot/core/errors.hpp"

#include <string>

namespace bot {
namespace {

// boost::system::error_category has a protected non-virtual destructor by design.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class Category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "bot"; }

    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
            case errc::ok:
                return "ok";
            case errc::bad_signature:
                return "bad signature";
            case errc::stale_request:
                return "stale request";
            case errc::malformed:
                return "malformed request";
            case errc::payload_too_large:
                return "payload too large";
            case errc::unknown_bot:
                return "unknown bot";
            case errc::method_not_allowed:
                return "method not allowed";
            case errc::not_found:
                return "not found";
            case errc::store_failure:
                return "store failure";
            case errc::store_closed:
                return "store closed";
            case errc::store_timeout:
                return "store timeout";
            case errc::invalid_argument:
                return "invalid argument";
        }
        return "unknown bot error";
    }
};
#pragma GCC diagnostic pop

}  // namespace

const boost::system::error_category& error_category() noexcept {
    static const Category category;
    return category;
}

}  // namespace bot
