<?php
// Like wp-config.php, but the values come from the PhpService's spec.database: the operator
// gives every backend CONPAAS_DB_HOST, _PORT, _USER and the password (variable or file).
function blog_db(): PDO {
    static $pdo = null;
    if ($pdo !== null) {
        return $pdo;
    }
    $host = getenv('CONPAAS_DB_HOST');
    if ($host === false) {
        http_response_code(503);
        exit("The database is not connected yet (spec.database of the PhpService).\n");
    }
    $password = getenv('CONPAAS_DB_PASSWORD');
    if ($password === false && getenv('CONPAAS_DB_PASSWORD_FILE')) {
        $password = trim(file_get_contents(getenv('CONPAAS_DB_PASSWORD_FILE')));
    }
    $dsn = 'mysql:host=' . $host . ';port=' . getenv('CONPAAS_DB_PORT') . ';charset=utf8mb4';
    $pdo = new PDO($dsn, getenv('CONPAAS_DB_USER'), $password, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
    // WordPress's installer creates its schema on the first visit; so does this blog.
    $pdo->exec('CREATE DATABASE IF NOT EXISTS blog');
    $pdo->exec('USE blog');
    $pdo->exec('CREATE TABLE IF NOT EXISTS posts (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200) NOT NULL,'
        . ' body TEXT NOT NULL, created TIMESTAMP DEFAULT CURRENT_TIMESTAMP)');
    return $pdo;
}
