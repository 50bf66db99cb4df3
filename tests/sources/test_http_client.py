"""warehouse/sources/http_client.py: timeouts, size limits, complete bodies, auth and TLS.

Through fetch_source against real servers on 127.0.0.1, as in test_http.py.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_support import PATH, TOKEN, RecordingSession, fetch, files_in, source_for
from pytest_httpserver import HTTPServer
from werkzeug import Response

from warehouse.sources.errors import SourceError

pytest_plugins = ["http_fixtures"]  # the `waits` and `refused` fixtures

# --- every request ----------------------------------------------------------------------------


def test_every_request_carries_both_timeouts_and_verification(
    httpserver: HTTPServer, tmp_path, waits
):
    httpserver.expect_ordered_request(PATH).respond_with_data("busy", status=503)
    httpserver.expect_ordered_request(PATH).respond_with_data("ok")
    session = RecordingSession()

    fetch(
        source_for(httpserver.url_for(PATH), connect_timeout=3.5, read_timeout=7.0),
        tmp_path,
        waits,
        session=session,
    )

    assert len(session.calls) == 2
    for call in session.calls:
        assert call["timeout"] == (3.5, 7.0)
        assert call["stream"] is True
        assert call["verify"] is True  # default verification, never False


# --- size and completeness --------------------------------------------------------------------


def test_an_announced_body_over_max_bytes_is_refused(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_request(PATH).respond_with_data(b"x" * 5000)

    with pytest.raises(SourceError, match=r"5000 bytes announced, over max_bytes \(1000\)"):
        fetch(source_for(httpserver.url_for(PATH), max_bytes=1000), tmp_path, waits)

    assert len(httpserver.log) == 1  # not retried: it would be as large next time
    assert files_in(tmp_path / "downloads") == []


def test_a_streamed_body_over_max_bytes_is_refused(httpserver: HTTPServer, tmp_path, waits):
    """No Content-Length to check up front: the count while streaming stops it."""
    chunks = iter([b"x" * 800, b"y" * 800, b"z" * 800])
    httpserver.expect_request(PATH).respond_with_response(Response(chunks))

    with pytest.raises(SourceError, match=r"body over max_bytes \(1000\)"):
        fetch(source_for(httpserver.url_for(PATH), max_bytes=1000), tmp_path, waits)

    assert "Content-Length" not in httpserver.log[0][1].headers
    assert len(httpserver.log) == 1
    assert files_in(tmp_path / "downloads") == []


def short_body() -> Response:
    """Says 1000 bytes, sends 10 and closes: what a proxy dropping the connection looks like."""
    return Response(iter([b"0123456789"]), headers={"Content-Length": "1000"})


def test_a_body_shorter_than_content_length_is_retried(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_ordered_request(PATH).respond_with_response(short_body())
    httpserver.expect_ordered_request(PATH).respond_with_data(b"0123456789" * 100)

    got = fetch(source_for(httpserver.url_for(PATH)), tmp_path, waits)

    assert got.path.read_bytes() == b"0123456789" * 100
    assert waits == [1.0]
    assert files_in(tmp_path / "downloads") == ["H37-dossiers.xlsx"]


def test_a_body_always_short_fails_and_leaves_nothing(httpserver: HTTPServer, tmp_path, waits):
    httpserver.expect_request(PATH).respond_with_handler(lambda request: short_body())

    with pytest.raises(SourceError, match=r"gave up after 2 attempts; last: body cut short"):
        fetch(source_for(httpserver.url_for(PATH), retries=1), tmp_path, waits)

    assert len(httpserver.log) == 2
    assert files_in(tmp_path / "downloads") == []
    assert files_in(tmp_path / "state") == []


# --- credentials and TLS ----------------------------------------------------------------------


def test_a_netrc_entry_does_not_replace_the_bearer_token(
    httpserver: HTTPServer, tmp_path, waits, monkeypatch
):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine localhost login someone password other\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("H37_TOKEN", TOKEN)
    httpserver.expect_request(PATH).respond_with_data("ok")

    fetch(source_for(httpserver.url_for(PATH), token_env="H37_TOKEN"), tmp_path, waits)

    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_ca_bundle_is_passed_as_verify(httpserver: HTTPServer, tmp_path, waits):
    bundle = tmp_path / "portal-chain.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")  # never read: the URL is plain http
    httpserver.expect_request(PATH).respond_with_data("ok")
    session = RecordingSession()

    fetch(
        source_for(httpserver.url_for(PATH), ca_bundle=str(bundle)),
        tmp_path,
        waits,
        session=session,
    )

    assert session.calls[0]["verify"] == str(bundle)


@pytest.fixture(scope="module")
def https_server(tmp_path_factory) -> Iterator[tuple[HTTPServer, Path]]:
    """An HTTPS portal whose certificate comes from a private CA (the ca_bundle case)."""
    pytest.importorskip("cryptography")
    folder = tmp_path_factory.mktemp("tls")
    ca_pem, cert_pem, key_pem = _private_ca_certificate(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_pem, key_pem)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server, ca_pem
    server.clear()
    server.stop()


def test_https_with_a_ca_bundle(https_server, tmp_path, waits):
    server, ca_pem = https_server
    server.expect_request(PATH).respond_with_data("over tls")
    assert server.url_for(PATH).startswith("https://")

    got = fetch(source_for(server.url_for(PATH), ca_bundle=str(ca_pem)), tmp_path, waits)

    assert got.path.read_bytes() == b"over tls"


def test_https_without_the_ca_bundle_fails_once_with_a_hint(https_server, tmp_path, waits):
    server, _ = https_server

    with pytest.raises(SourceError, match=r"TLS verification failed.*set ca_bundle"):
        fetch(source_for(server.url_for(PATH)), tmp_path, waits)

    assert waits == []  # a certificate problem is not retried


def _private_ca_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test portal CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths
