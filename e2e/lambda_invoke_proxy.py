"""A stand-in for the Lambda API endpoint (AWS_ENDPOINT_URL_LAMBDA) in front of moto_server.

`Invoke` (POST /2015-03-31/functions/NAME/invocations) is answered by the real executable: the
payload goes to the Runtime API emulator the executable polls, and the function's answer comes
back as Lambda's Invoke API returns it -- 200 with the response payload, or 200 with
`X-Amz-Function-Error: Unhandled` and the error payload ({"errorType", "errorMessage"}) when the
function reported an error. Every other request (CreateFunction, GetFunction, IAM, ECR, ... when
one endpoint serves them all) is forwarded to moto unchanged, headers included, so moto still
checks each SigV4 signature (the Host header the client signed is kept).

moto would run an Invoke in Docker; there is no Docker engine here, and the point is to run our
own binary anyway. The Invoke requests themselves are not signature-checked here (moto checks
every other call of the same client with the same keys).
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from e2e.peers.runtime_api import RuntimeAPIEmulator

_INVOKE = re.compile(r"/2015-03-31/functions/([^/]+)/invocations")
# Not forwarded: they describe this hop, not the request.
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


@dataclass
class ProxiedInvocation:
    """One Invoke the proxy answered."""

    function_name: str
    payload: dict | str
    function_error: str | None  # "Unhandled" for a function error, else None
    result: bytes
    seconds: float


@dataclass
class ForwardedCall:
    """One request forwarded to moto, named as IAM names its permission (`ecr:CreateRepository`)."""

    action: str
    access_key_id: str
    method: str
    path: str


# Lambda's REST API: (method, path pattern) -> IAM action. Unknown ones are recorded as
# "lambda:?METHOD PATH", so a test comparing them with a policy shows what is missing here.
_LAMBDA_ACTIONS = [
    ("POST", r"/2015-03-31/functions/?", "CreateFunction"),
    ("GET", r"/2015-03-31/functions/?", "ListFunctions"),
    ("GET", r"/2015-03-31/functions/[^/]+", "GetFunction"),
    ("DELETE", r"/2015-03-31/functions/[^/]+", "DeleteFunction"),
    ("GET", r"/2015-03-31/functions/[^/]+/configuration", "GetFunctionConfiguration"),
    ("PUT", r"/2015-03-31/functions/[^/]+/configuration", "UpdateFunctionConfiguration"),
    ("PUT", r"/2015-03-31/functions/[^/]+/code", "UpdateFunctionCode"),
    ("GET", r"/2015-03-31/functions/[^/]+/versions", "ListVersionsByFunction"),
    ("POST", r"/2015-03-31/functions/[^/]+/versions", "PublishVersion"),
    ("GET", r"/2015-03-31/functions/[^/]+/policy", "GetPolicy"),
    ("POST", r"/2015-03-31/functions/[^/]+/invocations", "InvokeFunction"),
    ("GET", r"/20\d\d-\d\d-\d\d/functions/[^/]+/code-signing-config", "GetFunctionCodeSigningConfig"),
    ("GET", r"/20\d\d-\d\d-\d\d/functions/[^/]+/concurrency", "GetFunctionConcurrency"),
    ("PUT", r"/20\d\d-\d\d-\d\d/functions/[^/]+/concurrency", "PutFunctionConcurrency"),
    ("DELETE", r"/20\d\d-\d\d-\d\d/functions/[^/]+/concurrency", "DeleteFunctionConcurrency"),
    ("GET", r"/20\d\d-\d\d-\d\d/functions/[^/]+/runtime-management-config", "GetRuntimeManagementConfig"),
    ("GET", r"/20\d\d-\d\d-\d\d/functions/[^/]+/recursion-config", "GetFunctionRecursionConfig"),
    ("GET", r"/20\d\d-\d\d-\d\d/functions/[^/]+/url", "GetFunctionUrlConfig"),
    ("GET", r"/20\d\d-\d\d-\d\d/functions/[^/]+/event-invoke-config", "GetFunctionEventInvokeConfig"),
    ("GET", r"/20\d\d-\d\d-\d\d/tags/.+", "ListTags"),
    ("POST", r"/20\d\d-\d\d-\d\d/tags/.+", "TagResource"),
    ("DELETE", r"/20\d\d-\d\d-\d\d/tags/.+", "UntagResource"),
]
_FUNCTION_CONFIGURATION_ACTIONS = {"lambda:CreateFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration",
                                   "lambda:UpdateFunctionConfiguration", "lambda:UpdateFunctionCode"}
_CREDENTIAL = re.compile(r"Credential=([^/]+)/[^/]+/[^/]+/([^/]+)/aws4_request")


def iam_action(method: str, path: str, headers, body: bytes) -> tuple[str, str]:
    """(IAM action, access key id) of a signed AWS request: from X-Amz-Target (JSON protocols),
    Action= (query protocols) or Lambda's REST paths."""
    credential = _CREDENTIAL.search(headers.get("Authorization", ""))
    service, key = (credential[2], credential[1]) if credential else ("?", "")
    if target := headers.get("X-Amz-Target"):
        return f"{service}:{target.rsplit('.', 1)[-1]}", key
    if service in ("iam", "sts"):
        fields = parse_qs(body.decode("utf-8", "replace")) or parse_qs(urlsplit(path).query)
        return f"{service}:{fields.get('Action', ['?'])[0]}", key
    if service == "lambda":
        bare = unquote(urlsplit(path).path)
        for verb, pattern, action in _LAMBDA_ACTIONS:
            if verb == method and re.fullmatch(pattern, bare):
                return f"lambda:{action}", key
    return f"{service}:?{method} {urlsplit(path).path}", key


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _any(self):
        proxy: LambdaInvokeProxy = self.server.proxy
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        invoke = _INVOKE.fullmatch(urlsplit(self.path).path)
        if self.command == "POST" and invoke:
            status, headers, answer = proxy.invoke(unquote(invoke[1]), self.headers, body)
        else:
            status, headers, answer = proxy.forward(self.command, self.path, self.headers, body)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _any

    def log_message(self, format, *args):
        """Quiet."""


class LambdaInvokeProxy:
    """127.0.0.1:<free port>; `endpoint` is the value for AWS_ENDPOINT_URL_LAMBDA. A context manager."""

    def __init__(self, upstream: str, runtime_api: RuntimeAPIEmulator, *, credentials: dict[str, str],
                 timeout_ms: int = 120_000, alive: Callable[[], bool] = lambda: True):
        self.upstream = urlsplit(upstream)
        self.credentials = credentials  # access key id -> secret access key, for the re-signing below
        self.runtime_api = runtime_api
        self.timeout_ms = timeout_ms
        self.alive = alive  # False once the function's process is gone: its invokes fail at once
        self.invocations: list[ProxiedInvocation] = []
        self.calls: list[ForwardedCall] = []
        self._logging_configs: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.endpoint = ""

    def start(self) -> LambdaInvokeProxy:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.proxy = self
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="lambda-invoke-proxy", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> LambdaInvokeProxy:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def take_invocations(self) -> list[ProxiedInvocation]:
        """The invocations since the last call (in arrival order), and forget them."""
        with self._lock:
            taken, self.invocations = self.invocations, []
            return taken

    def take_calls(self) -> list[ForwardedCall]:
        """The requests forwarded to moto since the last call, and forget them."""
        with self._lock:
            taken, self.calls = self.calls, []
            return taken

    # ------------------------------------------------------------------ Invoke
    def invoke(self, function_name: str, headers, body: bytes) -> tuple[int, list, bytes]:
        invocation_type = headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if invocation_type == "DryRun":
            return 204, [("x-amzn-RequestId", "dry-run")], b""
        if invocation_type != "RequestResponse":
            return _lambda_error(400, "InvalidParameterValueException",
                                 f"this proxy answers RequestResponse invokes only, not {invocation_type}")
        started = time.monotonic()
        invocation = self.runtime_api.invoke(body, timeout_ms=self.timeout_ms, wait=False)
        deadline = started + self.timeout_ms / 1000 + 10
        while not invocation.done.wait(0.2):
            if not self.alive() or time.monotonic() > deadline:
                return _lambda_error(500, "ServiceException", "the function did not answer (its process is gone or it timed out)")
        with self._lock:
            self.calls.append(ForwardedCall("lambda:InvokeFunction", *iam_action("POST", "", headers, b"")[1:],
                                            "POST", f"/2015-03-31/functions/{function_name}/invocations"))
        function_error = "Unhandled" if invocation.outcome == "error" else None
        try:
            payload = json.loads(body)
        except ValueError:
            payload = body.decode("utf-8", "replace")
        with self._lock:
            self.invocations.append(ProxiedInvocation(function_name, payload, function_error, invocation.body,
                                                      time.monotonic() - started))
        answer_headers = [("Content-Type", "application/json"), ("X-Amz-Executed-Version", "$LATEST"),
                          ("x-amzn-RequestId", invocation.request_id)]
        if function_error:
            answer_headers.append(("X-Amz-Function-Error", function_error))
        return 200, answer_headers, invocation.body

    # ------------------------------------------------------------------ everything else: moto
    def _complete_configuration(self, action: str, path: str, body: bytes, answer: bytes) -> bytes:
        """What moto (5.x) leaves out of a function's configuration, so that a plan after an apply
        is empty as against Lambda: the LoggingConfig the function was given (moto drops it), and
        no ImageConfigResponse when no ImageConfig was given (moto answers empty lists)."""
        try:
            sent = json.loads(body) if body else {}
            configuration = json.loads(answer)
        except ValueError:
            return answer
        name = sent.get("FunctionName") or unquote(urlsplit(path).path).split("/functions/", 1)[-1].split("/")[0]
        name = name.rsplit(":", 1)[-1]
        with self._lock:
            if "LoggingConfig" in sent:
                self._logging_configs[name] = sent["LoggingConfig"]
            logging_config = self._logging_configs.get(name)
        target = configuration.get("Configuration", configuration)
        if logging_config is not None:
            target.setdefault("LoggingConfig", logging_config)
        image = target.get("ImageConfigResponse", {}).get("ImageConfig")
        if image is not None and not any(image.values()):
            del target["ImageConfigResponse"]
        return json.dumps(configuration).encode()

    def _signature_valid(self, method: str, path: str, headers: dict, body: bytes) -> bool:
        scope = _scope(headers)
        auth = scope and _auth(self.credentials, scope)
        if not auth:
            return False
        given = re.search(r"Signature=([0-9a-f]+)", headers["Authorization"])
        expected = _signature(auth, _request(method, path, headers, scope[3], body))
        return bool(given) and hmac.compare_digest(given[1], expected)

    def _sign_again(self, method: str, path: str, headers: dict, body: bytes) -> dict:
        scope = _scope(headers)
        auth = _auth(self.credentials, scope)
        headers = {**headers, "X-Amz-Content-Sha256": hashlib.sha256(body).hexdigest()}
        names = sorted({*scope[3], "x-amz-content-sha256"})
        request = _request(method, path, headers, names, body)
        signature = _signature(auth, request)
        headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={scope[0]}/{auth.credential_scope(request)}, "
                                    f"SignedHeaders={';'.join(names)}, Signature={signature}")
        return headers

    def forward(self, method: str, path: str, headers, body: bytes) -> tuple[int, list, bytes]:
        action, key = iam_action(method, path, headers, body)
        with self._lock:
            self.calls.append(ForwardedCall(action, key, method, path))
        headers = {name: value for name, value in headers.items()}
        if not body and "Authorization" in headers:
            # moto (5.x) checks the signature of a request without a body against a body made of
            # its headers, so every signed GET/DELETE of a REST API (GetFunction, ListTags, ...)
            # fails with SignatureDoesNotMatch. Such a request is checked here instead, then signed
            # again with a signed X-Amz-Content-Sha256 header, which moto's check then uses.
            if not self._signature_valid(method, path, headers, body):
                return 403, [("Content-Type", "application/json"), ("x-amzn-ErrorType", "SignatureDoesNotMatch")], \
                    json.dumps({"message": "The request signature we calculated does not match the signature you provided."}).encode()
            headers = self._sign_again(method, path, headers, body)
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                    connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            answer = response.read()
            answer_headers = [(name, value) for name, value in response.getheaders()
                              if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length"]
            if action in _FUNCTION_CONFIGURATION_ACTIONS and 200 <= response.status < 300:
                answer = self._complete_configuration(action, path, body, answer)
            return response.status, answer_headers, answer
        finally:
            connection.close()


def _scope(headers) -> tuple[str, str, str, list[str]] | None:
    """(access key id, region, service, signed header names) of a SigV4 Authorization header."""
    authorization = headers.get("Authorization", "")
    credential = re.search(r"Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/aws4_request", authorization)
    signed = re.search(r"SignedHeaders=([^,\s]+)", authorization)
    if not credential or not signed:
        return None
    return credential[1], credential[2], credential[3], signed[1].split(";")


def _signature(auth: SigV4Auth, request: AWSRequest) -> str:
    return auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request)


def _request(method: str, path: str, headers: dict, names: list[str], body: bytes) -> AWSRequest:
    chosen = {name: value for name, value in headers.items() if name.lower() in names}
    request = AWSRequest(method=method, url=path, data=body, headers=chosen)
    request.context["timestamp"] = headers.get("X-Amz-Date", "")
    return request


def _auth(proxy_credentials: dict[str, str], scope) -> SigV4Auth | None:
    key, region, service, _ = scope
    secret = proxy_credentials.get(key)
    return None if secret is None else SigV4Auth(Credentials(key, secret), service, region)


def _lambda_error(status: int, error_type: str, message: str) -> tuple[int, list, bytes]:
    return status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", error_type)], \
        json.dumps({"Type": "User", "message": message}).encode()
