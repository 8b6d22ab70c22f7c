"""JupyterHub for a class on one host: the sandbox's class server as hub-managed services,
several replicas on one PostgreSQL gradebook (docs/deploy.md, route 2).

tests/test_hub_route.py starts a real hub with exactly this file, so the recipe in the docs
is the one that is tested. Everything site-specific comes from the environment:

    SANDBOX_CLASS_FILE       the class file (`sandbox class new` was run on it)      required
    SANDBOX_GRADEBOOK_URL    the class's PostgreSQL gradebook                         required
    SANDBOX_HUB_PASSWORD     the class's shared hub password (8 characters or more)   required
    SANDBOX_HUB_USERS        who may log in, comma-separated (default: anyone with the password)
    SANDBOX_HUB_URL          the hub's public address        (default http://127.0.0.1:8000)
    SANDBOX_HUB_API_PORT     the hub's own port, internal    (default 8081)
    SANDBOX_PROXY_API_PORT   the proxy's REST API, internal  (default 8001)
    SANDBOX_SERVICE_PORTS    one port per replica, comma-separated (default 8765,8766)
    SANDBOX_SERVICE_WORKERS  worker processes per replica        (default 1)
    SANDBOX_HUB_STATE        where the hub keeps its database, cookie secret and pid files
                             (default: the current directory)

    jupyterhub -f deploy/jupyterhub_config.py

Replica 1 is published at <hub>/services/yikatong-sandbox/, replica n at
<hub>/services/yikatong-sandbox-n/. configurable-http-proxy sends one route to one target, so
each replica has a route of its own; a trainee may use any of them (any replica serves any
trainee from the shared gradebook). On Kubernetes one Service spreads one route over all
replicas instead (docs/deploy.md).

The hub's login decides who gets a notebook; the class token in each trainee's line of the
tokens sheet decides whose attempt a call reaches (the service checks it, not the hub).
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - JupyterHub defines it when it loads this file

SERVICE = "yikatong-sandbox"
REPO = Path(__file__).resolve().parent.parent
# scripts/install_hub.sh puts the proxy here; elsewhere, one on PATH (npm install -g).
LOCAL_PROXY = REPO / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"jupyterhub_config.py: set {name} (see the top of {__file__})")
    return value


class_file = required("SANDBOX_CLASS_FILE")
gradebook_url = required("SANDBOX_GRADEBOOK_URL")
state = Path(os.environ.get("SANDBOX_HUB_STATE", ".")).resolve()
service_ports = [int(p) for p in os.environ.get("SANDBOX_SERVICE_PORTS", "8765,8766").split(",")]
# Worker processes per replica (`sandbox serve --workers`): every one of them can serve any trainee,
# since the gradebook (PostgreSQL) serialises each attempt's calls.
service_workers = int(os.environ.get("SANDBOX_SERVICE_WORKERS", "1"))

# --- the hub and its proxy -------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("SANDBOX_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('SANDBOX_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('SANDBOX_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(LOCAL_PROXY) if LOCAL_PROXY.exists()
                                   else shutil.which("configurable-http-proxy") or "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"  # the hub's own state, not the gradebook
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")

# --- who logs in -----------------------------------------------------------------------------
# One shared class password, no system accounts (no PAM): enough for a classroom hub. A
# province's hub would use its own single sign-on (an OAuthenticator, LDAP) here instead.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = required("SANDBOX_HUB_PASSWORD")
users = {u.strip() for u in os.environ.get("SANDBOX_HUB_USERS", "").split(",") if u.strip()}
if users:
    c.Authenticator.allowed_users = users
else:
    c.Authenticator.allow_all = True

# --- the class server: one hub-managed service per replica -----------------------------------
# The hub starts each, restarts it if it stops, and tells it its address and route
# ($JUPYTERHUB_SERVICE_URL, $JUPYTERHUB_SERVICE_PREFIX), which `sandbox serve` listens on.
service_env = {"SANDBOX_GRADEBOOK_URL": gradebook_url}
if "SANDBOX_HOME" in os.environ:  # the sandbox's own files (a test points it at a temp dir)
    service_env["SANDBOX_HOME"] = os.environ["SANDBOX_HOME"]
c.JupyterHub.services = [
    {
        "name": SERVICE if n == 1 else f"{SERVICE}-{n}",
        "url": f"http://127.0.0.1:{port}",
        "command": [sys.executable, "-m", "sandbox", "serve", class_file, "--workers", str(service_workers)],
        "environment": service_env,
        "display": False,
    }
    for n, port in enumerate(service_ports, start=1)
]
# Trainees' notebooks find the class server without typing its address.
c.Spawner.environment = {"SANDBOX_CLASS_URL": f"{c.JupyterHub.bind_url.rstrip('/')}/services/{SERVICE}/"}
