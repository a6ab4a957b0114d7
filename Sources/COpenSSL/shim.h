// SHA-256 as a context on the caller's stack (SHA256_Init/Update/Final). OpenSSL 3 marks these
// deprecated in favour of EVP, but EVP allocates a provider context on every digest and cannot
// copy a state without another allocation; SigV4 needs four short digests per request and an
// HMAC key's states copied per signature, so the plain context is the right tool here.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
