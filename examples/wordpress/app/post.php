<?php
require __DIR__ . '/db.php';
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $title = trim($_POST['title'] ?? '');
    $body = trim($_POST['body'] ?? '');
    if ($title === '') {
        http_response_code(400);
        exit("A post needs a title.\n");
    }
    $stmt = blog_db()->prepare('INSERT INTO posts (title, body) VALUES (?, ?)');
    $stmt->execute([$title, $body]);
    $id = blog_db()->lastInsertId();
    header('Content-Type: text/plain');
    echo "created post $id\n";
    exit;
}
?>
<!DOCTYPE html>
<html><head><title>Write a post</title><link rel="stylesheet" href="style.css"></head>
<body>
<h1>Write a post</h1>
<form method="post">
  <p><input name="title" placeholder="Title"></p>
  <p><textarea name="body" rows="8" cols="60"></textarea></p>
  <p><button>Publish</button></p>
</form>
<p><a href="index.php">Back</a></p>
</body></html>
