#include "bot/app.hpp"

int main(int argc, char** argv) {
    return bot::app::main(argc, argv);
}
