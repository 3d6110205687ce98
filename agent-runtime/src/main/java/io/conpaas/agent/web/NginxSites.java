package io.conpaas.agent.web;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The nginx server blocks of the web roles (the http-level text {@link NginxServer} wraps). */
final class NginxSites {
  /**
   * What the proxy sends to web servers: files by extension. Everything else (PHP, servlets,
   * "pretty" URLs routed by a front controller) goes to the backends.
   */
  static final String STATIC_EXTENSIONS =
      "css|js|mjs|map|png|jpe?g|gif|ico|svg|webp|avif|bmp|woff2?|ttf|otf|eot|txt|pdf|zip|gz|mp3|mp4|webm|ogg|html?|xml";
  private static final String HIDDEN = "  location ~ /\\. { return 404; }\n";

  private NginxSites() {}

  static String listen(String bind, int port) {
    return "  listen " + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + port + ";\n";
  }

  /** The load balancer: static files to the web servers (when any), the rest to the backends. */
  static String proxy(String bind, int port, List<HostPort> backends, List<HostPort> web) {
    StringBuilder s = new StringBuilder();
    upstream(s, "backends", backends);
    upstream(s, "web", web);
    s.append("server {\n").append(listen(bind, port))
        .append("  client_max_body_size 64m;\n")
        .append("  proxy_http_version 1.1;\n")
        .append("  proxy_set_header Connection \"\";\n")
        .append("  proxy_set_header Host $http_host;\n")
        .append("  proxy_set_header X-Real-IP $remote_addr;\n")
        .append("  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n")
        .append("  proxy_set_header X-Forwarded-Proto $scheme;\n")
        .append("  proxy_next_upstream error timeout http_502 http_503;\n");
    String staticTarget = !web.isEmpty() ? "web" : !backends.isEmpty() ? "backends" : null;
    s.append("  location ~* \\.(").append(STATIC_EXTENSIONS).append(")$ { ").append(pass(staticTarget)).append(" }\n");
    s.append("  location / { ").append(pass(backends.isEmpty() ? null : "backends")).append(" }\n");
    return s.append("}\n").toString();
  }

  private static void upstream(StringBuilder s, String name, List<HostPort> servers) {
    if (servers.isEmpty()) {
      return;
    }
    s.append("upstream ").append(name).append(" {\n");
    servers.forEach(hp -> s.append("  server ").append(hp).append(" max_fails=3 fail_timeout=5s;\n"));
    s.append("  keepalive 16;\n}\n");
  }

  private static String pass(String upstream) {
    return upstream == null ? "default_type text/plain; return 503 \"no server available\\n\";"
        : "proxy_pass http://" + upstream + ";";
  }

  /** The session store a PHP proxy serves to its backends: one file per session, PUT/GET/DELETE. */
  static String sessionStore(String bind, int port, Path storeRoot, List<String> allowed) {
    StringBuilder s = new StringBuilder("server {\n").append(listen(bind, port))
        .append("  client_max_body_size 4m;\n")
        .append("  access_log off;\n")
        .append("  location /sessions/ {\n");
    allowed.forEach(a -> s.append("    allow ").append(a).append(";\n"));
    return s.append("    deny all;\n")
        .append("    root ").append(storeRoot).append(";\n")
        .append("    dav_methods PUT DELETE;\n")
        .append("    dav_access user:rw;\n")
        .append("    limit_except GET PUT DELETE { deny all; }\n")
        .append("  }\n")
        .append("  location / { return 404; }\n")
        .append("}\n").toString();
  }

  /** A web (static) server: the active version's files, never PHP sources or a war's private parts. */
  static String web(String bind, int port, Path docRoot) {
    return "server {\n" + listen(bind, port)
        + "  root " + docRoot + ";\n"
        + "  index index.html index.htm;\n"
        + HIDDEN
        + "  location ~* \\.(php[0-9]?|phtml|phar|inc)$ { return 404; }\n"
        + "  location ~* ^/(WEB-INF|META-INF)(/|$) { return 404; }\n"
        + "  location / { try_files $uri $uri/ =404; }\n"
        + "}\n";
  }

  /**
   * A PHP backend: static files and PHP from the active version through php-fpm. $realpath_root
   * gives PHP the version's real directory, so a switched `current` link never mixes versions in
   * one request or in OPcache.
   */
  static String phpBackend(String bind, int port, Path docRoot, Path fpmSocket, String agentName) {
    return "server {\n" + listen(bind, port)
        + "  root " + docRoot + ";\n"
        + "  index index.php index.html index.htm;\n"
        + "  client_max_body_size 64m;\n"
        + HIDDEN
        + "  location / { try_files $uri $uri/ /index.php$is_args$args; }\n"
        + "  location ~ \\.php$ {\n"
        + "    try_files $uri =404;\n"
        + "    include /etc/nginx/fastcgi_params;\n"
        + "    fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;\n"
        + "    fastcgi_param DOCUMENT_ROOT $realpath_root;\n"
        + "    fastcgi_param CONPAAS_AGENT " + agentName + ";\n"
        + "    fastcgi_pass unix:" + fpmSocket + ";\n"
        + "  }\n"
        + "}\n";
  }

  static String joined(List<HostPort> list) {
    return list.stream().map(HostPort::toString).collect(Collectors.joining(","));
  }
}
