"""Encryption at rest of the numbers that identify a person or reach their money: identity-
document numbers and bank-card account numbers (PIPL art. 51; GB/T 39786-2021 for the
algorithms; GB/T 22239-2019 level 3, 数据保密性).

Each value is sealed with authenticated encryption, SM4-GCM by default (the ``cryptography``
package; AES-256-GCM where a deployment chooses it per key), and stored as
``zx1$<key id>$<base64 of nonce ‖ ciphertext ‖ tag>``; the column it belongs to is the
associated data, so a value copied into another column does not decrypt there. Keys come from
``FIELD_ENCRYPTION_KEYS`` (the environment, or the lines of ``FIELD_ENCRYPTION_KEY_FILE``):
``<key id>:<sm4|aes>:<base64 key>``, the first one encrypts, all of them decrypt, so a new key
is added in front and ``manage.py rotate_field_keys`` re-encrypts the rows in batches (it can be
stopped and run again: it takes only rows under another key).

Equality lookups (finding a person by a document number, duplicate checks, the roster's
matching) never decrypt: they compare a keyed hash of the number, the blind index
(HMAC-SM3, or HMAC-SHA-256, with ``FIELD_INDEX_KEY``, a key of its own, per column).

Without keys configured (the embedded development run and the tests) both keys derive from
SECRET_KEY; production requires its own (``zhuao.settings.production``)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

PREFIX = "zx1"
ALGORITHMS = {"sm4": 16, "aes": 32}  # key lengths in bytes
NONCE_BYTES = 12
#: Looked up once: ``cryptography``'s modules answer each attribute through a deprecation
#: wrapper, which a batch would pay twice per payment.
_GCM = modes.GCM


@dataclass(frozen=True)
class Key:
    key_id: str
    algorithm: str
    secret: bytes


def _derived(purpose: str, length: int) -> bytes:
    return hashlib.sha256(f"{settings.SECRET_KEY}\0zhuao {purpose}".encode()).digest()[:length]


def _parse(line: str) -> Key:
    try:
        key_id, algorithm, encoded = line.strip().split(":", 2)
        secret = base64.b64decode(encoded, validate=True)
    except ValueError as error:
        raise ImproperlyConfigured(
            "A field encryption key is written <key id>:<sm4|aes>:<base64 key>.") from error
    if algorithm not in ALGORITHMS or len(secret) != ALGORITHMS[algorithm]:
        raise ImproperlyConfigured(
            f"Field encryption key {key_id!r}: {algorithm} needs a key of "
            f"{ALGORITHMS.get(algorithm, '16 or 32')} bytes.")
    if not key_id.isalnum() or len(key_id) > 16:
        raise ImproperlyConfigured(f"Field encryption key id {key_id!r}: letters and digits, "
                                   "at most 16.")
    return Key(key_id, algorithm, secret)


@lru_cache(maxsize=8)
def _keys(configured: tuple[str, ...], secret_key: str) -> tuple[Key, ...]:
    if configured:
        keys = tuple(_parse(line) for line in configured)
    else:
        keys = (Key("dev", "sm4", _derived("field encryption", 16)),)
    if len({key.key_id for key in keys}) != len(keys):
        raise ImproperlyConfigured("Two field encryption keys have the same id.")
    return keys


def keys() -> tuple[Key, ...]:
    """The configured keys, the one that encrypts first."""
    configured = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if path := settings.FIELD_ENCRYPTION_KEY_FILE:
        stat = os.stat(path)
        configured += _key_file_lines(path, stat.st_mtime_ns, stat.st_size)
    return _keys(configured, settings.SECRET_KEY)


@lru_cache(maxsize=8)
def _key_file_lines(path: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The key file's key lines, read again only when the file changes: a batch opens and
    seals hundreds of thousands of numbers, and reading the file for each cost more than the
    cipher."""
    with open(path, encoding="ascii") as key_file:
        return tuple(line for line in key_file.read().splitlines()
                     if line.strip() and not line.startswith("#"))


def current_key() -> Key:
    return keys()[0]


@lru_cache(maxsize=8)
def _algorithm(key: Key):
    """The key's cipher object, built once: a batch seals and opens hundreds of thousands of
    numbers, and building it took a third of each operation."""
    return AESGCM(key.secret) if key.algorithm == "aes" else algorithms.SM4(key.secret)


def _cipher(key: Key, nonce: bytes, aad: bytes, data: bytes, *, encrypt: bool) -> bytes:
    if key.algorithm == "aes":
        aead = _algorithm(key)
        return aead.encrypt(nonce, data, aad) if encrypt else aead.decrypt(nonce, data, aad)

    if encrypt:
        encryptor = Cipher(_algorithm(key), _GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(aad)
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag
    body, tag = data[:-16], data[-16:]
    decryptor = Cipher(_algorithm(key), _GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(body) + decryptor.finalize()


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX + "$")


def encrypt(plain: str, *, column: str) -> str:
    key = current_key()
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(key, nonce, column.encode(), plain.encode(), encrypt=True)
    return f"{PREFIX}${key.key_id}${base64.b64encode(nonce + sealed).decode()}"


class DecryptionError(ValueError):
    pass


def decrypt(value: str, *, column: str) -> str:
    if not is_sealed(value):
        raise DecryptionError(f"{column}: a value is stored unencrypted")
    _, key_id, encoded = value.split("$", 2)
    key = next((key for key in keys() if key.key_id == key_id), None)
    if key is None:
        raise DecryptionError(f"{column}: no key {key_id!r} is configured to decrypt it")
    raw = base64.b64decode(encoded)
    try:
        plain = _cipher(key, raw[:NONCE_BYTES], column.encode(), raw[NONCE_BYTES:],
                        encrypt=False)
    except Exception as error:  # InvalidTag: tampered, or another column's value
        raise DecryptionError(f"{column}: a value failed its authentication") from error
    return plain.decode()


def blind_index(value: str, *, column: str) -> str:
    """The keyed hash equality lookups compare; "" for no value."""
    if not value:
        return ""
    key = (settings.FIELD_INDEX_KEY.encode() if settings.FIELD_INDEX_KEY
           else _derived("field blind index", 32))
    message = column.encode() + b"\0" + value.encode()
    if settings.FIELD_INDEX_HASH == "sm3":

        mac = crypto_hmac.HMAC(key, hashes.SM3())
        mac.update(message)
        return mac.finalize().hex()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def reseal_column(connection, *, table: str, column: str, label: str,
                  index_column: str | None = None, batch: int = 1000,
                  atomic_batches: bool = True, every_row: bool = False) -> int:
    """Encrypt every plain value of a column, and re-encrypt every value sealed under another
    key than the current one, in batches by id (and set the blind index beside it). Each batch
    commits on its own (``atomic_batches``), so a stopped run resumes where it was: it takes
    only rows still plain or under another key (``every_row``: all of them, for a new blind-index
    key; such a run restarts from the first row). Returns how many rows it changed."""
    quote = connection.ops.quote_name
    current = "" if every_row else f"{PREFIX}${current_key().key_id}$%"
    select = (f"SELECT id, {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> '' "
              f"AND {quote(column)} NOT LIKE %s AND id > %s ORDER BY id LIMIT %s")
    assignments = f"{quote(column)} = %s" + (f", {quote(index_column)} = %s"
                                              if index_column else "")
    update = f"UPDATE {quote(table)} SET {assignments} WHERE id = %s"
    changed, last_id = 0, 0
    while True:
        with (transaction.atomic(using=connection.alias) if atomic_batches
              else nullcontext()), connection.cursor() as cursor:
            cursor.execute(select, [current, last_id, batch])
            rows = cursor.fetchall()
            if not rows:
                return changed
            values = []
            for row_id, stored in rows:
                plain = decrypt(stored, column=label) if is_sealed(stored) else stored
                sealed = encrypt(plain, column=label)
                values.append([sealed, blind_index(plain, column=label), row_id]
                              if index_column else [sealed, row_id])
            cursor.executemany(update, values)
            changed += len(rows)
            last_id = rows[-1][0]

