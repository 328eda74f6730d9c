"""The gunicorn worker class of ``orchestrator-api serve``: one uvicorn server on gunicorn's sockets.

gunicorn's master imports the worker class and builds each worker object before it forks. This class
therefore imports neither uvicorn nor asyncio until :meth:`Worker.run`, in the forked process: the master,
which only forks and watches, stays without them (about 5 MiB of the server's resident memory).
"""

from __future__ import annotations

import logging
import signal
import sys
from typing import Any

from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker as GunicornWorker

# uvicorn's settings for our workers: the HTTP protocol with problem answers and a keep-alive-friendly
# shutdown (see ``protocol.py``); uvloop where it is installed.
_PROTOCOL = "orchestrator_api.protocol:ProblemHttpToolsProtocol"


class Worker(GunicornWorker):  # type: ignore[misc]  # gunicorn ships no type hints
    """A gunicorn worker whose requests a uvicorn server answers (the app is connexion's ASGI app)."""

    def init_signals(self) -> None:
        # uvicorn installs its own handlers for the exit signals once it serves; gunicorn's would swallow
        # the return codes of subprocesses meanwhile.
        for number in self.SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGUSR1, self.handle_usr1)
        signal.siginterrupt(signal.SIGUSR1, False)  # log reopening must not interrupt a request's reads

    def run(self) -> None:
        import asyncio

        from uvicorn.config import Config

        for name, source in (("uvicorn.error", self.log.error_log), ("uvicorn.access", self.log.access_log)):
            logger = logging.getLogger(name)
            logger.handlers = source.handlers
            logger.setLevel(source.level)
            logger.propagate = False
        config = Config(
            app=self.wsgi,  # gunicorn's name for the loaded app, here the ASGI one
            log_config=None,
            loop="auto",
            http=_PROTOCOL,
            timeout_keep_alive=self.cfg.keepalive,
            timeout_notify=self.timeout,
            callback_notify=self._notify,
            limit_max_requests=self.max_requests,
            forwarded_allow_ips=self.cfg.forwarded_allow_ips,
            backlog=self.cfg.backlog,
        )
        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
            runner.run(self._serve(config))

    async def _serve(self, config: Any) -> None:
        import asyncio

        from uvicorn.server import Server

        server = Server(config=config)
        # gunicorn stops a worker at once with SIGQUIT; uvicorn only handles SIGINT and SIGTERM.
        asyncio.get_running_loop().add_signal_handler(signal.SIGQUIT, self.handle_exit, signal.SIGQUIT, None)
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)

    async def _notify(self) -> None:
        self.notify()
