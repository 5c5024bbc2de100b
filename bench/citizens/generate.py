#!/usr/bin/env python3
"""A realistic citizens CSV for the import and list benchmarks (bench/citizens/run.sh).

    bench/citizens/generate.py ROWS FILE [--seed N]

Deterministic: the same ROWS and seed give the same bytes. The file looks like a town hall's
spreadsheet export: German headers, UTF-8 with umlauts, comma-separated with quoted cells where
a cell holds a list ("ehrenamt, sport"), dates as 24.11.2026, decimals as 3,5, empty cells
where nobody filled a field in. Names and districts are skewed as in real towns (Müller and
Schmidt are common, Zimmermann rare), so the prefix searches of the benchmark find realistic
numbers of people. The 20 custom fields are the four of `teilhabe demo` and the 16 of
fields.json next to this file (their German labels are the column headers, which the importer
maps by itself).
"""
import argparse
import csv
import random
import sys

FIRST = """Maria Anna Ursula Monika Petra Elisabeth Sabine Renate Helga Karin Brigitte Ingrid
Erika Andrea Gisela Claudia Susanne Gabriele Christa Christine Hildegard Birgit Julia Barbara
Stefanie Nicole Katharina Laura Lena Emma Mia Hannah Sophie Lea Leonie Marie Lina Clara Greta Ida
Paula Nora Zoe Yasemin Ayşe Elif Olena Natalia Fatma Michael Thomas Andreas Peter Wolfgang Klaus
Jürgen Stefan Christian Frank Uwe Hans Bernd Werner Manfred Dieter Horst Gerhard Günter Markus
Matthias Martin Alexander Jan Tobias Daniel Florian Lukas Jonas Felix Paul Leon Ben Finn Elias
Noah Luis Maximilian Moritz Emil Anton Mehmet Mustafa Ali Murat Ahmet Dmytro Oleksandr Piotr
Jörg Björn Sören Jens Timo Sven Till Ole Mats Hannes Samuel Wilhelm""".split()

# (name, relative frequency): roughly the order of German surnames, with a long tail.
LAST = [
    ("Müller", 60), ("Schmidt", 45), ("Schneider", 25), ("Fischer", 23), ("Weber", 21),
    ("Meyer", 20), ("Wagner", 18), ("Becker", 16), ("Schulz", 16), ("Hoffmann", 15),
    ("Schäfer", 12), ("Koch", 12), ("Bauer", 12), ("Richter", 11), ("Klein", 11), ("Wolf", 10),
    ("Schröder", 10), ("Neumann", 9), ("Schwarz", 9), ("Zimmermann", 9), ("Braun", 8),
    ("Krüger", 8), ("Hofmann", 8), ("Hartmann", 8), ("Lange", 7), ("Schmitt", 7), ("Werner", 7),
    ("Schmitz", 7), ("Krause", 7), ("Meier", 7), ("Lehmann", 6), ("Schmid", 6), ("Schulze", 6),
    ("Maier", 6), ("Köhler", 6), ("Herrmann", 6), ("König", 5), ("Walter", 5), ("Mayer", 5),
    ("Huber", 5), ("Kaiser", 5), ("Fuchs", 5), ("Peters", 5), ("Lang", 5), ("Scholz", 5),
    ("Möller", 5), ("Weiß", 5), ("Jung", 5), ("Hahn", 4), ("Schubert", 4), ("Vogel", 4),
    ("Friedrich", 4), ("Keller", 4), ("Günther", 4), ("Frank", 4), ("Berger", 4), ("Winkler", 4),
    ("Roth", 4), ("Beck", 4), ("Lorenz", 4), ("Baumann", 4), ("Franke", 4), ("Albrecht", 4),
    ("Schuster", 3), ("Simon", 3), ("Ludwig", 3), ("Böhm", 3), ("Winter", 3), ("Kraus", 3),
    ("Martin", 3), ("Schumacher", 3), ("Krämer", 3), ("Vogt", 3), ("Stein", 3), ("Jäger", 3),
    ("Otto", 3), ("Sommer", 3), ("Groß", 3), ("Seidel", 3), ("Heinrich", 3), ("Brandt", 3),
    ("Haas", 3), ("Schreiber", 3), ("Graf", 3), ("Schulte", 3), ("Dietrich", 3), ("Ziegler", 3),
    ("Kuhn", 3), ("Kühn", 3), ("Pohl", 3), ("Engel", 3), ("Horn", 3), ("Busch", 3),
    ("Bergmann", 3), ("Thomas", 3), ("Voigt", 3), ("Sauer", 3), ("Arnold", 3), ("Wolff", 3),
    ("Pfeiffer", 3), ("Yılmaz", 3), ("Kaya", 2), ("Demir", 2), ("Şahin", 2), ("Çelik", 2),
    ("Nowak", 2), ("Kowalski", 2), ("Wiśniewski", 1), ("Kovalenko", 1), ("Shevchenko", 1),
    ("Nguyen", 1), ("Rossi", 1), ("Öztürk", 2), ("Ahrens", 1), ("Blume", 1), ("Dörr", 1),
    ("Eckert", 1), ("Fröhlich", 1), ("Gärtner", 1), ("Hübner", 1), ("Iske", 1), ("Janßen", 1),
    ("Kästner", 1), ("Löffler", 1), ("Mäder", 1), ("Nolte", 1), ("Oswald", 1), ("Pütz", 1),
    ("Quast", 1), ("Rühl", 1), ("Seifert", 1), ("Tiedemann", 1), ("Uhlig", 1), ("Vössing", 1),
    ("Wendt", 1), ("Xylander", 1), ("Zöller", 1),
]

DISTRICTS = [
    ("Altstadt", 9), ("Neustadt", 8), ("Nord", 8), ("Süd", 8), ("Oststadt", 7),
    ("Weststadt", 7), ("Am See", 5), ("Bergheim", 5), ("Lindenau", 4), ("Hafen", 4),
    ("Kirchberg", 4), ("Mühlental", 3), ("Sonnenhügel", 3), ("Waldesruh", 3), ("Auenwald", 3),
    ("Bahnhofsviertel", 3), ("Schlosspark", 2), ("Gartenstadt", 2), ("Eichenhain", 2),
    ("Ziegelei", 2), ("Rosenau", 1), ("Hohenfeld", 1), ("Brückenau", 1), ("Talmühle", 1),
]

TAGS = [
    ("newsletter", 30), ("ehrenamt", 15), ("senioren", 12), ("familie", 12), ("sport", 10),
    ("kultur", 9), ("jugend", 8), ("elternbeirat", 5), ("vhs-dozentin", 3), ("feuerwehr", 4),
    ("verein", 6), ("bürgerbeteiligung", 5), ("presse", 1), ("gewerbe", 4), ("neubürger", 6),
    ("schöffe", 1), ("wahlhelfer", 3), ("patenschaft", 2), ("repair-café", 2),
    ("stadtradeln", 4), ("klimarat", 1), ("seniorenbeirat", 1), ("integrationsrat", 1),
    ("bücherei", 5), ("musikschule", 3), ("tafel", 2), ("nachbarschaftshilfe", 3),
    ("sportabzeichen", 2), ("stadtführung", 2), ("vip", 1),
]

TOPICS = ["stadtnews", "kultur", "vhs-kurse", "baeder", "umwelt", "ehrenamt"]
PROVIDERS = ["web.de", "gmx.de", "gmail.com", "t-online.de", "posteo.de", "outlook.de",
             "mailbox.org", "freenet.de", "icloud.com", "musterstadt.de"]
STREETS = ["Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Dorfstraße",
           "Bergstraße", "Birkenweg", "Lindenstraße", "Kirchstraße", "Waldstraße", "Ringstraße",
           "Mühlenweg", "Am Markt", "Goethestraße", "Schillerstraße", "Rosenweg", "Eichendorffweg",
           "Friedrich-Ebert-Straße", "Kastanienallee", "Zum Sportplatz"]
OCCUPATIONS = ["Lehrerin", "Lehrer", "Krankenpfleger", "Pflegefachfrau", "Ingenieurin",
               "Elektriker", "Verkäuferin", "Rentnerin", "Rentner", "Studentin", "Student",
               "Schüler", "Erzieherin", "Ärztin", "Busfahrer", "Bäckermeister", "Informatikerin",
               "Verwaltungsfachangestellte", "Landwirt", "Selbstständig", "Tischler",
               "Kauffrau für Büromanagement", "Physiotherapeut", "Hausfrau", "Hausmann"]
VOLUNTEERING = ["Stadtgarten", "Bücherei", "Sportverein", "Putzaktion"]
HOUSING = [("Miete", 55), ("Eigentum", 35), ("Wohngemeinschaft", 5), ("Wohnheim", 2),
           ("Sonstiges", 3)]
CONTACT_TIME = ["vormittags", "nachmittags", "abends"]
SPORTS = ["Fußball", "Schwimmen", "Laufen", "Radfahren", "Turnen", "Tennis", "Yoga", "Handball"]
MOBILITY = ["Bus", "Bahn", "Fahrrad", "Auto", "zu Fuß", "Carsharing"]

HEADER = ["E-Mail", "Vorname", "Nachname", "Sprache", "Stadtteil", "Kanal", "Schlagworte",
          "Interessen",
          # the fields of `teilhabe demo`
          "Geburtsjahr", "Stadtteil-Newsletter", "Hund im Haushalt", "Ehrenamt",
          # fields.json
          "Straße", "PLZ", "Telefon", "Beruf", "Haushaltsgröße", "Kinder",
          "Entfernung zum Rathaus (km)", "Mitglied seit", "Letzter Kontakt", "Einwilligung am",
          "Autofreier Haushalt", "Barrierefreiheit benötigt", "Wohnform", "Erreichbarkeit",
          "Sportarten", "Verkehrsmittel"]

ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ş": "s", "ç": "c",
                       "ś": "s", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "Ş": "S", "Ç": "C"})


def cumulative(pairs):
    names, total, cum = [], 0, []
    for name, weight in pairs:
        total += weight
        names.append(name)
        cum.append(total)
    return names, cum


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rows", type=int)
    ap.add_argument("file")
    ap.add_argument("--seed", type=int, default=20261126)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    last_names, last_cum = cumulative(LAST)
    districts, district_cum = cumulative(DISTRICTS)
    tags, tag_cum = cumulative(TAGS)
    housing, housing_cum = cumulative(HOUSING)

    def some(p):
        return rnd.random() < p

    def date(y0, y1):  # German form, 1-28 so every date exists
        return f"{rnd.randint(1, 28):02d}.{rnd.randint(1, 12):02d}.{rnd.randint(y0, y1)}"

    def several(pool, cum, most):
        n = rnd.randint(0, most)
        return sorted(set(rnd.choices(pool, cum_weights=cum, k=n))) if cum else \
            sorted(rnd.sample(pool, n))

    with open(args.file, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(HEADER)
        for i in range(args.rows):
            first = rnd.choice(FIRST)
            last = rnd.choices(last_names, cum_weights=last_cum)[0]
            local = f"{first}.{last}".translate(ASCII)
            if some(0.7):
                local = local.lower()
            email = f"{local}{i}@{rnd.choice(PROVIDERS)}"
            birth = rnd.randint(1930, 2008)
            row = [
                email, first, last, "en" if some(0.08) else "de",
                rnd.choices(districts, cum_weights=district_cum)[0] if some(0.97) else "",
                "post" if some(0.1) else ("none" if some(0.03) else "email"),
                ", ".join(several(tags, tag_cum, 3)),
                ", ".join(several(TOPICS, None, 3)),
                str(birth) if some(0.9) else "",
                ("ja" if some(0.5) else "nein") if some(0.8) else "",
                ("ja" if some(0.3) else "nein") if some(0.6) else "",
                ", ".join(several(VOLUNTEERING, None, 2)) if some(0.3) else "",
                f"{rnd.choice(STREETS)} {rnd.randint(1, 180)}" if some(0.85) else "",
                f"{rnd.randint(10000, 99999)}" if some(0.9) else "",
                f"0{rnd.randint(151, 179)} {rnd.randint(1000000, 99999999)}" if some(0.6) else "",
                rnd.choice(OCCUPATIONS) if some(0.5) else "",
                str(rnd.choices(range(1, 9), cum_weights=[40, 75, 87, 96, 98, 99, 100, 101])[0])
                if some(0.8) else "",
                str(rnd.choices(range(0, 6), cum_weights=[50, 70, 90, 97, 99, 100])[0])
                if some(0.7) else "",
                f"{rnd.uniform(0.2, 25):.1f}".replace(".", ",") if some(0.75) else "",
                date(max(1950, birth + 16), 2026) if some(0.4) else "",
                date(2019, 2026) if some(0.7) else "",
                date(2018, 2026) if some(0.85) else "",
                ("ja" if some(0.25) else "nein") if some(0.7) else "",
                ("ja" if some(0.08) else "nein") if some(0.6) else "",
                rnd.choices(housing, cum_weights=housing_cum)[0] if some(0.75) else "",
                rnd.choice(CONTACT_TIME) if some(0.5) else "",
                ", ".join(several(SPORTS, None, 3)) if some(0.6) else "",
                ", ".join(several(MOBILITY, None, 3)) if some(0.8) else "",
            ]
            w.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
