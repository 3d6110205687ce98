<?php
// Which backend answered, and a session counter that keeps counting across backends
// (sessions live in the proxy's shared store, manual 2.3.3).
session_start();
$_SESSION['visits'] = ($_SESSION['visits'] ?? 0) + 1;
header('Content-Type: text/plain');
echo "Hello from ConPaaS PHP hosting\n";
echo "backend: " . ($_SERVER['CONPAAS_AGENT'] ?? 'unknown') . "\n";
echo "visits in this session: " . $_SESSION['visits'] . "\n";
