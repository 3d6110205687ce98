package io.conpaas.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throw-away CA made with the JDK's keytool, so the agent's tests need no crypto library
 * (the agent itself must not depend on one).
 */
public final class KeytoolPki {
  private static final String PASS = "changeit";
  private static final Path KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool");

  /** A certificate and PKCS#8 key in PEM. */
  public record Pem(String certificate, String privateKey) {}

  private final Path dir;
  private final Path caStore;
  private final String caPem;

  private KeytoolPki(Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    this.caStore = dir.resolve("ca.p12");
    genKeyPair(caStore, "CN=test-ca", "-ext", "bc:c=ca:true", "-ext", "ku:c=keyCertSign,cRLSign");
    keytool("-exportcert", "-rfc", "-alias", "key", "-keystore", caStore.toString(), "-storepass", PASS,
        "-file", dir.resolve("ca.pem").toString());
    this.caPem = Files.readString(dir.resolve("ca.pem"));
  }

  /** A new CA whose files live in dir. */
  public static KeytoolPki create(Path dir) throws IOException, InterruptedException {
    return new KeytoolPki(dir);
  }

  public String caPem() {
    return caPem;
  }

  /** A certificate for cn signed by this CA, with extra keytool -ext options (e.g. "eku=serverAuth"). */
  public Pem issue(String cn, String... extensions) throws IOException, InterruptedException {
    Path store = dir.resolve(cn + ".p12");
    genKeyPair(store, "CN=" + cn);
    Path csr = dir.resolve(cn + ".csr");
    Path pem = dir.resolve(cn + ".pem");
    keytool("-certreq", "-alias", "key", "-keystore", store.toString(), "-storepass", PASS, "-file", csr.toString());
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "key", "-keystore",
        caStore.toString(), "-storepass", PASS, "-validity", "2", "-infile", csr.toString(), "-outfile",
        pem.toString()));
    for (String ext : extensions) {
      gencert.add("-ext");
      gencert.add(ext);
    }
    keytool(gencert.toArray(String[]::new));
    return new Pem(Files.readString(pem), privateKeyPem(store));
  }

  private void genKeyPair(Path store, String dname, String... extra) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", "key", "-keyalg", "EC", "-groupname",
        "secp256r1", "-dname", dname, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", PASS, "-keypass", PASS));
    args.addAll(List.of(extra));
    keytool(args.toArray(String[]::new));
  }

  private static String privateKeyPem(Path store) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASS.toCharArray());
      byte[] pkcs8 = ks.getKey("key", PASS.toCharArray()).getEncoded();
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
          + "\n-----END PRIVATE KEY-----\n";
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(KEYTOOL.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}
