#!/usr/bin/env bash
# Regenerates src/security/common_passwords.txt, the list of common passwords that new
# passwords are checked against (NIST SP 800-63B 5.1.1.2: "passwords obtained from previous
# breach corpuses"). Source: the ranked "passwords" list of zxcvbn (Dropbox, MIT licence), as
# Debian 12 ships it in python3-zxcvbn 4.4.28 — the 30,000 most frequent passwords of Mark
# Burnett's 10 million password corpus. We keep the 10,000 most frequent of at least 8
# characters (shorter ones are refused by length anyway), plus a few German ones that the
# English-speaking corpus ranks low or lacks (src/security/common_passwords_de.txt).
# Needs: apt-get install python3-zxcvbn (only to regenerate; the build uses the committed file).
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 - <<'PY'
from zxcvbn.frequency_lists import FREQUENCY_LISTS
ranked = [p for p in FREQUENCY_LISTS["passwords"] if len(p) >= 8][:10000]
extra = [l.strip().lower() for l in open("src/security/common_passwords_de.txt", encoding="utf-8")
         if l.strip() and not l.startswith("#")]
seen, out = set(), []
for p in ranked + extra:
    if p not in seen:
        seen.add(p)
        out.append(p)
with open("src/security/common_passwords.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
print(f"{len(out)} passwords written")
PY
