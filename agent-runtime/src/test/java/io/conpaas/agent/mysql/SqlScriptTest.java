package io.conpaas.agent.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statement counting and "what ran before line N" the way the mariadb client splits scripts. */
class SqlScriptTest {
  @TempDir
  Path dir;

  private SqlScript.Count scan(String sql, long line) throws Exception {
    Path f = dir.resolve("s.sql");
    Files.writeString(f, sql);
    return SqlScript.scan(f, line);
  }

  @Test
  void countsStatementsAcrossQuotesCommentsAndDelimiters() throws Exception {
    String sql = "/*M!999999\\- enable the sandbox mode */ \n"
        + "-- a comment; with a semicolon\n"
        + "/*!40101 SET NAMES utf8mb4 */;\n"
        + "# another; comment\n"
        + "INSERT INTO t VALUES ('a;b', \"c;d\", 'it\\'s;'), (`x;y`);\n"
        + "/* block; comment */ SELECT 1; SELECT 2;\n"
        + "DELIMITER ;;\n"
        + "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END;;\n"
        + "delimiter ;\n"
        + "SELECT 'multi\nline;\nstring';\n"
        + "SELECT 3";
    assertThat(scan(sql, 0).total()).isEqualTo(7);
  }

  @Test
  void statementsBeforeTheErrorLineAndWhetherTheyChangeSomething() throws Exception {
    String sql = "CREATE TABLE d1 (i INT);\nINSERT INTO d1 VALUES (1);\nINSERT INTO d1 VALUES (2) oops;\n";
    SqlScript.Count c = scan(sql, 3);
    assertThat(c.before()).isEqualTo(2);
    assertThat(c.changingBefore()).isEqualTo(2);
    assertThat(c.on()).isEqualTo(1);

    SqlScript.Count session = scan("/*!40101 SET NAMES utf8mb4 */;\nUSE shop;\n\n-- c\nCREATE TABLE x garbage;\n", 5);
    assertThat(session.before()).isEqualTo(2);
    assertThat(session.changingBefore()).isZero();

    SqlScript.Count global = scan("SET GLOBAL max_connections = 10;\nSELEC 1;\n", 2);
    assertThat(global.changingBefore()).isEqualTo(1);
  }

  @Test
  void aStatementStartsWhereItsFirstSqlTextIs() throws Exception {
    // The client reports "at line 4" for this statement: comments and blank lines do not count.
    SqlScript.Count c = scan("SELECT 1;\n-- c\n\n  SELECT\n  foo;\n", 4);
    assertThat(c.before()).isEqualTo(1);
    assertThat(c.on()).isEqualTo(1);
  }
}
