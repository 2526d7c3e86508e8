#pragma once

// libpq uses OpenSSL on whichever thread connects (SCRAM and the TLS probe of sslmode=prefer),
// and OpenSSL frees its global state in an atexit handler. A pool thread that connected can still
// be running OpenSSL's thread-exit destructor when that handler runs, because QThread::wait()
// returns before a thread's TLS destructors have run: the process then crashes on its way out
// (seen in CI: libcrypto in __nptl_deallocate_tsd beside OPENSSL_cleanup's frees).
namespace PgClientLibrary {
// Tells OpenSSL to leave its state to the OS at exit. Called before any QPSQL connection opens
// (DatabaseConnection::addConfigured, the only place one is added: tests/support/layercheck.sh
// checks it); later calls do nothing. Thread-safe.
void prepare();
}
