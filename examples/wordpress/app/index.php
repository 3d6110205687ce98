<?php
require __DIR__ . '/db.php';
$posts = blog_db()->query('SELECT id, title, created FROM posts ORDER BY id DESC')->fetchAll();
header('Content-Type: text/html; charset=utf-8');
?>
<!DOCTYPE html>
<html><head><title>ConPaaS blog</title><link rel="stylesheet" href="style.css"></head>
<body>
<h1>ConPaaS blog</h1>
<p><a href="post.php">Write a post</a> · <a href="about.php">About</a></p>
<p class="count"><?= count($posts) ?> posts</p>
<ul>
<?php foreach ($posts as $p): ?>
  <li><a href="view.php?id=<?= (int) $p['id'] ?>"><?= htmlspecialchars($p['title']) ?></a> (<?= $p['created'] ?>)</li>
<?php endforeach; ?>
</ul>
<p class="served-by">served by <?= htmlspecialchars($_SERVER['CONPAAS_AGENT'] ?? 'unknown') ?></p>
</body></html>
