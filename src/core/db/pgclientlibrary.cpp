#include "db/pgclientlibrary.h"

#include <mutex>

#include <openssl/crypto.h>

void PgClientLibrary::prepare()
{
    static std::once_flag once;
    // Must be OpenSSL's first initialisation to take effect; libpq initialises it on first connect.
    std::call_once(once, [] { OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr); });
}
