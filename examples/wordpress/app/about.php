<?php
header('Content-Type: text/plain');
echo "A blog on ConPaaS: PHP backends behind a load balancer, posts in a replicated MySQL service.\n";
echo "Database: " . (getenv('CONPAAS_DB_HOST') ?: 'not connected') . ':' . (getenv('CONPAAS_DB_PORT') ?: '') . "\n";
