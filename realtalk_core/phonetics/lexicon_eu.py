"""Our own vocabulary and templates for Spanish, French, German, Italian and Brazilian Portuguese.

Each language has noun phrases already inflected for their slot (German objects in the
accusative, places in the dative; Romance articles agreeing with their nouns), so any choice
from a slot is grammatical. The phrases favour bilabials, labiodentals and rounded vowels.
Slots: subj (3rd person singular subject), vt/vi (3rd person singular present of a transitive /
intransitive verb), obj, place, time, adv.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

Lexicon = Mapping[str, tuple[str, ...]]

SPANISH: Lexicon = MappingProxyType({
    "subj": ("el perro", "la abuela", "mi padre", "el profesor", "la vecina", "Pablo", "María", "el músico",
             "la doctora", "nuestro primo", "Paloma", "Bruno", "el pescador", "la bombera", "mi madre"),
    "vt": ("compra", "mira", "busca", "pinta", "prepara", "lleva", "vende", "abre", "rompe", "limpia",
           "guarda", "pide", "muestra", "prueba", "mueve", "sube"),
    "obj": ("una manzana", "el libro", "la mesa", "un vaso de vino", "la puerta", "un pastel", "el barco",
            "una bufanda", "el mapa", "unas flores", "un paraguas", "la bombilla", "el vestido", "una pelota",
            "el pan", "la fruta", "un pimiento verde", "un bolso morado", "la botella", "un mueble viejo"),
    "place": ("en el mercado", "junto al puente", "en la cocina", "cerca del puerto", "bajo la lluvia",
              "en el bosque", "en la playa", "detrás de la iglesia", "en un pueblo pequeño", "sobre la montaña",
              "en el museo", "frente a la fuente"),
    "time": ("por la mañana", "cada viernes", "esta noche", "el lunes", "a las nueve", "después de comer",
             "hoy", "mañana temprano", "en verano", "todos los domingos", "a mediodía"),
    "adv": ("despacio", "muy bien", "con mucho cuidado", "sin prisa", "otra vez", "en voz baja", "con amor"),
    "vi": ("duerme", "baila", "canta", "camina", "llora", "trabaja", "nada", "vuelve", "espera", "pasea",
           "sonríe", "bebe"),
})
SPANISH_TEMPLATES = (
    "{subj} {vt} {obj} {place}.",
    "{subj} {vi} {adv} {place} {time}.",
    "¿Por qué {vt} {subj} {obj} {time}?",
    "{time}, {subj} {vt} {obj} y {obj2}.",
    "{subj} no {vt} {obj} {time}.",
)

FRENCH: Lexicon = MappingProxyType({
    "subj": ("le boulanger", "ma mère", "mon voisin", "Pierre", "Marie", "le vieux pêcheur", "la petite fille",
             "notre professeur", "Paul", "Sophie", "le médecin", "la bouchère", "mon père", "Benoît"),
    "vt": ("achète", "regarde", "cherche", "peint", "prépare", "porte", "vend", "ouvre", "casse", "lave",
           "garde", "montre", "goûte", "pousse", "trouve", "prend"),
    "obj": ("une pomme", "le livre bleu", "la fenêtre", "un verre de vin", "la porte", "un gâteau", "le bateau",
            "une écharpe", "la carte", "des fleurs", "un parapluie", "la boîte", "une robe verte", "un ballon",
            "le pain", "un poisson", "une bouteille", "le beurre", "un bouquet de roses", "la valise"),
    "place": ("au marché", "près du pont", "dans la cuisine", "sur le port", "sous la pluie", "dans la forêt",
              "à la plage", "derrière l'église", "au bord du lac", "sur la montagne", "dans un petit village",
              "au musée"),
    "time": ("le matin", "chaque vendredi", "ce soir", "lundi", "à neuf heures", "après le repas",
             "aujourd'hui", "demain matin", "en été", "tous les dimanches", "à midi"),
    "adv": ("lentement", "très bien", "avec soin", "sans bruit", "encore une fois", "doucement",
            "à voix basse"),
    "vi": ("dort", "danse", "chante", "marche", "pleure", "travaille", "nage", "revient", "attend",
           "se promène", "sourit"),
})
FRENCH_TEMPLATES = (
    "{subj} {vt} {obj} {place}.",
    "{subj} {vi} {adv} {place} {time}.",
    "Est-ce que {subj} {vt} {obj} {time} ?",
    "{time}, {subj} {vt} {obj} et {obj2}.",
    "{subj} ne {vt} pas {obj} {time}.",
)

GERMAN: Lexicon = MappingProxyType({
    "subj": ("der Bäcker", "meine Mutter", "mein Bruder", "Peter", "Maria", "der alte Fischer",
             "das kleine Mädchen", "unser Lehrer", "Paul", "Sophie", "die Ärztin", "der Nachbar", "Oma",
             "mein Vater", "Bruno"),
    "vt": ("kauft", "sieht", "sucht", "malt", "bringt", "trägt", "verkauft", "öffnet", "holt", "wäscht",
           "findet", "probiert", "schiebt", "bemerkt", "füllt", "baut"),
    "obj": ("einen Apfel", "das Buch", "die Flasche", "ein Glas Milch", "den Koffer", "einen Kuchen", "das Boot",
            "einen Schal", "die Karte", "bunte Blumen", "einen Regenschirm", "die Vase", "ein Paket",
            "den Ball", "frisches Brot", "einen Pullover", "die Pfanne", "den Löffel", "ein Fahrrad",
            "den Mantel"),
    "place": ("auf dem Markt", "an der Brücke", "in der Küche", "im Hafen", "im Regen", "im Wald", "am Strand",
              "hinter der Kirche", "am See", "auf dem Berg", "in einem kleinen Dorf", "im Museum"),
    "time": ("am Morgen", "jeden Freitag", "heute Abend", "am Montag", "um neun Uhr", "nach dem Essen",
             "heute", "morgen früh", "im Sommer", "jeden Sonntag", "am Mittag"),
    "adv": ("langsam", "sehr gern", "ganz leise", "wieder", "fröhlich", "vorsichtig", "mit Mühe"),
    "vi": ("schläft", "tanzt", "singt", "wandert", "lacht", "arbeitet", "schwimmt", "wartet", "spielt",
           "lächelt", "pfeift"),
})
GERMAN_TEMPLATES = (
    "{subj} {vt} {time} {obj} {place}.",
    "{time} {vt} {subj} {obj} {place}.",
    "{subj} {vi} {time} {adv} {place}.",
    "{vt} {subj} {obj} {place}?",
    "{subj} {vt} {obj} und {obj2}.",
)

ITALIAN: Lexicon = MappingProxyType({
    "subj": ("il fornaio", "mia madre", "mio fratello", "Paolo", "Maria", "il vecchio pescatore", "la bambina",
             "il nostro maestro", "Bruno", "Sofia", "la dottoressa", "il vicino", "mio padre", "Beppe"),
    "vt": ("compra", "guarda", "cerca", "dipinge", "prepara", "porta", "vende", "apre", "rompe", "lava",
           "tiene", "mostra", "assaggia", "spinge", "trova", "prende"),
    "obj": ("una mela", "il libro", "la finestra", "un bicchiere di vino", "la porta", "una torta", "la barca",
            "una sciarpa", "la mappa", "dei fiori", "un ombrello", "la scatola", "un vestito blu", "un pallone",
            "il pane", "un pesce", "una bottiglia", "il burro", "un mazzo di rose", "la valigia"),
    "place": ("al mercato", "vicino al ponte", "in cucina", "al porto", "sotto la pioggia", "nel bosco",
              "sulla spiaggia", "dietro la chiesa", "in riva al lago", "sulla montagna", "in un piccolo paese",
              "al museo"),
    "time": ("la mattina", "ogni venerdì", "stasera", "lunedì", "alle nove", "dopo pranzo", "oggi",
             "domani mattina", "d'estate", "tutte le domeniche", "a mezzogiorno"),
    "adv": ("piano", "molto bene", "con cura", "senza fretta", "di nuovo", "a bassa voce", "volentieri"),
    "vi": ("dorme", "balla", "canta", "cammina", "piange", "lavora", "nuota", "torna", "aspetta", "passeggia",
           "sorride"),
})
ITALIAN_TEMPLATES = (
    "{subj} {vt} {obj} {place}.",
    "{subj} {vi} {adv} {place} {time}.",
    "Perché {subj} {vt} {obj} {time}?",
    "{time}, {subj} {vt} {obj} e {obj2}.",
    "{subj} non {vt} {obj} {time}.",
)

PORTUGUESE_BR: Lexicon = MappingProxyType({
    "subj": ("o padeiro", "minha mãe", "meu irmão", "Paulo", "Maria", "o velho pescador", "a menina",
             "nosso professor", "Bruno", "Sofia", "a médica", "o vizinho", "meu pai", "Fábio"),
    "vt": ("compra", "olha", "procura", "pinta", "prepara", "leva", "vende", "abre", "quebra", "lava",
           "guarda", "mostra", "prova", "empurra", "encontra", "pega"),
    "obj": ("uma maçã", "o livro", "a janela", "um copo de vinho", "a porta", "um bolo", "o barco",
            "um cachecol", "o mapa", "umas flores", "um guarda-chuva", "a caixa", "um vestido azul", "uma bola",
            "o pão", "um peixe", "uma garrafa", "a manteiga", "um buquê de rosas", "a mala"),
    "place": ("no mercado", "perto da ponte", "na cozinha", "no porto", "debaixo da chuva", "na floresta",
              "na praia", "atrás da igreja", "na beira do lago", "na montanha", "numa pequena vila", "no museu"),
    "time": ("de manhã", "toda sexta-feira", "hoje à noite", "na segunda-feira", "às nove horas",
             "depois do almoço", "hoje", "amanhã cedo", "no verão", "todo domingo", "ao meio-dia"),
    "adv": ("devagar", "muito bem", "com cuidado", "sem pressa", "de novo", "em voz baixa", "com prazer"),
    "vi": ("dorme", "dança", "canta", "caminha", "chora", "trabalha", "nada", "volta", "espera", "passeia",
           "sorri"),
})
PORTUGUESE_BR_TEMPLATES = (
    "{subj} {vt} {obj} {place}.",
    "{subj} {vi} {adv} {place} {time}.",
    "Por que {subj} {vt} {obj} {time}?",
    "{time}, {subj} {vt} {obj} e {obj2}.",
    "{subj} não {vt} {obj} {time}.",
)
