# Shared by the benchmark scripts: a free loopback port, and a bounded wait for a URL.

# A free loopback port: bind port 0, read what the kernel picked.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until URL answers, at most $2 tenths of a second (default 100: 10 s).
wait_for() {
    for _ in $(seq "${2:-100}"); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "bench: $1 did not come up" >&2
    exit 2
}

# Starts Debian's nginx under DIR with WORKERS worker processes and LOCATION (the body of
# `location /`) on a free loopback port; sets nginx_pid and nginx_url and waits until it answers.
start_nginx() {
    local dir="$1" workers="$2" location="$3" port
    port="$(free_port)"
    mkdir -p "$dir/logs"
    cat >"$dir/nginx.conf" <<CONF
worker_processes $workers;
pid $dir/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    server {
        listen 127.0.0.1:$port;
        client_max_body_size 32m;
        location / {
$location
        }
    }
}
CONF
    /usr/sbin/nginx -p "$dir" -c nginx.conf -e stderr -g 'daemon off;' &
    nginx_pid=$!
    nginx_url="http://127.0.0.1:$port"
    wait_for "$nginx_url/"
}
