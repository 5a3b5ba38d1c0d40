/*
 * The minimal KMIP/TLS responder of the Get benchmark (bench/kmip-bench.ts): every Request Message
 * is answered with one fixed Response Message, so that what a round trip costs beyond the client is
 * as little as OpenSSL and the kernel allow, and the client's own cost shows. Written in C because a
 * Node.js responder adds its own stream and TLS-socket overhead to every round trip.
 *
 * The response bytes come from bench/fixed-get-responder.ts (which knows KMIP); this program only
 * frames requests and, when a request carries a Unique Batch Item ID, echoes it in the response
 * (spliced in after the Operation item, with the two enclosing lengths adjusted), so that pipelined
 * requests can be matched. TLS 1.2 only, like PyKMIP's server, with a client certificate required.
 * One process per connection (fork), so concurrent clients do not wait for each other.
 *
 * A connection's process waits for the next request by polling its non-blocking socket (for up to
 * SPIN_SECONDS, then it sleeps in poll()). A responder that sleeps between requests adds its own
 * wake-up to every round trip: on a virtual machine that costs tens of µs, more than this client's
 * whole KMIP work, and it varies with the host's state. Spinning takes that away for every client
 * alike, as long as the client's next request comes within SPIN_SECONDS (PyKMIP's come every few
 * hundred µs). It is short so that a connection left idle (kmip-bench.ts's section (c) takes turns
 * between two) soon stops taking a core from the one in use.
 *
 * Usage: fixed-get-responder CERT KEY CA RESPONSE_HEX    prints {"port": N} once listening on 127.0.0.1
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_MESSAGE (1 << 20)
#define HEADER 8
#define SPIN_SECONDS 0.002

static const unsigned char REQUEST_MESSAGE_HEADER[4] = {0x42, 0x00, 0x78, 0x01};
static const unsigned char BATCH_ITEM_HEADER[4] = {0x42, 0x00, 0x0f, 0x01};
static const unsigned char OPERATION_HEADER[4] = {0x42, 0x00, 0x5c, 0x05};
static const unsigned char BATCH_ITEM_ID_HEADER[4] = {0x42, 0x00, 0x93, 0x08};

static unsigned char response[MAX_MESSAGE];
static size_t response_len;
static size_t batch_item_at; /* offset of the response's Batch Item */
static size_t id_insert_at;  /* offset just after its Operation item */

static unsigned long get32(const unsigned char *p) {
  return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static void put32(unsigned char *p, unsigned long v) {
  p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

static const unsigned char *find(const unsigned char *hay, size_t hay_len, const unsigned char *needle, size_t len) {
  for (size_t i = 0; i + len <= hay_len; i++)
    if (memcmp(hay + i, needle, len) == 0) return hay + i;
  return NULL;
}

static int parse_response(const char *hex) {
  size_t len = strlen(hex);
  if (len % 2 != 0 || len / 2 > MAX_MESSAGE) return -1;
  for (size_t i = 0; i < len / 2; i++) {
    unsigned int byte;
    if (sscanf(hex + 2 * i, "%2x", &byte) != 1) return -1;
    response[i] = (unsigned char)byte;
  }
  response_len = len / 2;
  const unsigned char *item = find(response, response_len, BATCH_ITEM_HEADER, 4);
  if (!item || item + 16 > response + response_len || memcmp(item + 8, OPERATION_HEADER, 4) != 0) return -1;
  batch_item_at = (size_t)(item - response);
  id_insert_at = batch_item_at + 8 + 16; /* Batch Item header, then the 16-byte Operation item */
  return 0;
}

static double seconds_now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Waits until the socket can be read (SSL_ERROR_WANT_READ) or written (SSL_ERROR_WANT_WRITE). */
static void wait_for(SSL *ssl, int ssl_error) {
  struct pollfd fd = {.fd = SSL_get_fd(ssl), .events = ssl_error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN};
  poll(&fd, 1, -1);
}

/* SSL_write on the non-blocking socket: the whole message, or -1. */
static int write_all(SSL *ssl, const unsigned char *bytes, size_t len) {
  for (;;) {
    int n = SSL_write(ssl, bytes, (int)len);
    if (n > 0) return 0;
    int error = SSL_get_error(ssl, n);
    if (error != SSL_ERROR_WANT_WRITE && error != SSL_ERROR_WANT_READ) return -1;
    wait_for(ssl, error);
  }
}

/* Answers one whole request message. Returns 0, or -1 when the connection is to be dropped. */
static int answer(SSL *ssl, const unsigned char *request, size_t len) {
  static unsigned char out[MAX_MESSAGE + 64];
  const unsigned char *id = find(request, len, BATCH_ITEM_ID_HEADER, 4);
  if (!id || id + HEADER > request + len) return write_all(ssl, response, response_len);
  size_t id_len = HEADER + (get32(id + 4) + 7) / 8 * 8;
  if (id_len > 64 || id + id_len > request + len) return -1;
  memcpy(out, response, id_insert_at);
  memcpy(out + id_insert_at, id, id_len);
  memcpy(out + id_insert_at + id_len, response + id_insert_at, response_len - id_insert_at);
  put32(out + 4, get32(out + 4) + id_len);
  put32(out + batch_item_at + 4, get32(out + batch_item_at + 4) + id_len);
  return write_all(ssl, out, response_len + id_len);
}

static void serve(SSL *ssl) {
  static unsigned char in[MAX_MESSAGE];
  size_t have = 0;
  double spin_until = seconds_now() + SPIN_SECONDS;
  for (;;) {
    int n = SSL_read(ssl, in + have, (int)(sizeof in - have));
    if (n <= 0) {
      int error = SSL_get_error(ssl, n);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) return;
      if (error == SSL_ERROR_WANT_WRITE || seconds_now() > spin_until) wait_for(ssl, error);
      continue;
    }
    spin_until = seconds_now() + SPIN_SECONDS;
    have += (size_t)n;
    while (have >= HEADER) {
      if (memcmp(in, REQUEST_MESSAGE_HEADER, 4) != 0) return;
      size_t len = HEADER + get32(in + 4);
      if (len > MAX_MESSAGE) return;
      if (have < len) break;
      if (answer(ssl, in, len) != 0) return;
      memmove(in, in + len, have - len);
      have -= len;
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: fixed-get-responder CERT KEY CA RESPONSE_HEX\n");
    return 2;
  }
  if (parse_response(argv[4]) != 0) {
    fprintf(stderr, "fixed-get-responder: RESPONSE_HEX is not a response message with a Batch Item starting with Operation\n");
    return 2;
  }
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) || !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) ||
      SSL_CTX_use_certificate_chain_file(ctx, argv[1]) != 1 || SSL_CTX_use_PrivateKey_file(ctx, argv[2], SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_load_verify_locations(ctx, argv[3], NULL) != 1) {
    fprintf(stderr, "fixed-get-responder: cannot set up TLS with %s, %s and %s:\n", argv[1], argv[2], argv[3]);
    ERR_print_errors_fp(stderr);
    return 1;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);

  int listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t address_len = sizeof address;
  if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 16) != 0 ||
      getsockname(listener, (struct sockaddr *)&address, &address_len) != 0) {
    perror("fixed-get-responder: listen on 127.0.0.1");
    return 1;
  }
  printf("{\"port\": %d}\n", ntohs(address.sin_port));
  fflush(stdout);

  signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
  for (;;) {
    int connection = accept(listener, NULL, NULL);
    if (connection < 0) continue;
    if (fork() == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM); /* a connection does not outlive the responder */
      close(listener);
      int one = 1;
      setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      SSL *ssl = SSL_new(ctx);
      SSL_set_fd(ssl, connection);
      if (SSL_accept(ssl) == 1) {
        fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK); /* after the handshake: see the top */
        serve(ssl);
        SSL_shutdown(ssl);
      }
      _exit(0);
    }
    close(connection);
  }
}
