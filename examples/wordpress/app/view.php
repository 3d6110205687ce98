<?php
require __DIR__ . '/db.php';
$stmt = blog_db()->prepare('SELECT title, body, created FROM posts WHERE id = ?');
$stmt->execute([(int) ($_GET['id'] ?? 0)]);
$post = $stmt->fetch();
if (!$post) {
    http_response_code(404);
    exit("No such post.\n");
}
?>
<!DOCTYPE html>
<html><head><title><?= htmlspecialchars($post['title']) ?></title><link rel="stylesheet" href="style.css"></head>
<body>
<h1><?= htmlspecialchars($post['title']) ?></h1>
<p><?= nl2br(htmlspecialchars($post['body'])) ?></p>
<p><small><?= $post['created'] ?></small> · <a href="index.php">All posts</a></p>
</body></html>
