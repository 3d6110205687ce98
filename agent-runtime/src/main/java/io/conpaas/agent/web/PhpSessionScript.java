package io.conpaas.agent.web;

/**
 * The PHP file a backend prepends to every script when sessions live in the proxy's store
 * (ConPaaS's phpsession.php, with an HTTP store instead of Scalaris): session_set_save_handler
 * with a handler that GETs, PUTs and DELETEs /sessions/<id> there. Like ConPaaS's, it does not
 * lock a session between read and write; PHP's files handler (sessionDir) does.
 */
final class PhpSessionScript {
  private PhpSessionScript() {}

  /** The script for a store at baseUrl (e.g. http://10.0.0.5:8081/sessions/). */
  static String forStore(String baseUrl) {
    return """
        <?php
        // Written by the ConPaaS agent: PHP sessions are shared by all backends through the proxy's store.
        if (!class_exists('ConpaasSessionHandler', false)) {
          final class ConpaasSessionHandler implements SessionHandlerInterface {
            public function __construct(private string $base) {}
            public function open(string $path, string $name): bool { return true; }
            public function close(): bool { return true; }
            public function read(string $id): string|false {
              [$status, $body] = $this->call('GET', $id, null);
              if ($status === 200) { return $body; }
              return $status === 404 ? '' : false;
            }
            public function write(string $id, string $data): bool {
              [$status] = $this->call('PUT', $id, $data);
              return $status >= 200 && $status < 300;
            }
            public function destroy(string $id): bool {
              [$status] = $this->call('DELETE', $id, null);
              return $status === 204 || $status === 200 || $status === 404;
            }
            public function gc(int $max_lifetime): int|false { return 0; } // the proxy's agent expires sessions
            private function call(string $method, string $id, ?string $data): array {
              if (!preg_match('/^[A-Za-z0-9,-]{1,256}$/', $id)) { return [400, '']; }
              $opts = ['method' => $method, 'ignore_errors' => true, 'timeout' => 5,
                       'header' => "Content-Type: application/octet-stream\\r\\n"];
              if ($data !== null) { $opts['content'] = $data; }
              $body = @file_get_contents($this->base . $id, false, stream_context_create(['http' => $opts]));
              $status = 0;
              foreach ($http_response_header ?? [] as $h) {
                if (preg_match('#^HTTP/\\S+\\s+(\\d{3})#', $h, $m)) { $status = (int) $m[1]; }
              }
              return [$status, $body === false ? '' : $body];
            }
          }
          session_set_save_handler(new ConpaasSessionHandler(%s), true);
        }
        """.formatted(phpString(baseUrl));
  }

  private static String phpString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
