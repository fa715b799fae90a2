# A private SMTP server for the tests (aiosmtpd): writes each message it accepts to a folder as NAME.eml, whole
# (written under another name, then renamed, so that a reader never sees half of one).
# Usage: python3 smtp-server.py PORT FOLDER [USERNAME PASSWORD]; prints "ready" once it accepts connections.
import sys
import threading
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, folder = int(sys.argv[1]), Path(sys.argv[2])
credentials = (sys.argv[3].encode(), sys.argv[4].encode()) if len(sys.argv) > 4 else None


class Folder:
    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        (folder / f"{name}.part").write_bytes(envelope.original_content)
        (folder / f"{name}.part").rename(folder / f"{name}.eml")
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=(auth_data.login, auth_data.password) == credentials)


options = dict(authenticator=authenticate, auth_required=True, auth_require_tls=False) if credentials else {}
controller = Controller(Folder(), hostname="127.0.0.1", port=port, **options)
controller.start()
print("ready", flush=True)
threading.Event().wait()
