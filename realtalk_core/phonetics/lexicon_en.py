"""Our own English vocabulary and sentence templates for :mod:`.sentences` (en-us and en-gb).

Written for lip-sync data: the words lean on bilabials (p b m), labiodentals (f v), rounded
vowels (uː oʊ ɔː ʊ ɔɪ aʊ) and open vowels (ɑː æ aɪ), the sounds whose mouth shapes matter most.
Every word is in pocketsphinx's cmudict-en-us.dict, so each sentence can be force-aligned
(a test checks this). Verbs are (base, past) pairs.
"""

from __future__ import annotations

NAMES = (
    "Bob", "Pam", "Mary", "Maude", "Paul", "Molly", "Victor", "Fiona", "Boris", "Ruth", "Hugo", "Mabel",
    "Vera", "Philip", "Barbara", "Oscar", "Paula", "Bruno", "Olivia", "Martha", "Felix", "Robert", "Bonnie",
    "Moira", "Frank", "Ava", "Owen", "Pablo", "Margo", "Boyd", "Howard", "Polly", "Vivian", "Morgan", "Beth",
)

RELATIVES = (
    "mother", "father", "brother", "boss", "pal", "neighbor", "cousin", "aunt", "uncle", "partner",
    "barber", "baker", "plumber", "farmer", "pilot", "professor", "poet", "mayor", "butcher", "coach",
)

NOUNS = (
    "apple", "boat", "book", "box", "bridge", "cup", "farm", "fox", "frog", "goat", "hammer", "harbor",
    "horse", "jar", "kitten", "lamp", "map", "market", "mirror", "moon", "mouse", "notebook", "orange",
    "owl", "palm", "pan", "paper", "path", "pearl", "pen", "pepper", "piano", "picture", "pillow", "pipe",
    "plum", "pocket", "pony", "pot", "puppy", "rabbit", "robe", "roof", "rope", "shovel", "soup", "spoon",
    "stove", "tomato", "tower", "truck", "violin", "wagon", "wolf", "bottle", "basket", "blanket", "bowl",
    "bucket", "button", "balloon", "banana", "barn", "beaver", "feather", "fountain", "flower", "vase",
    "van", "movie", "moose", "mule", "puzzle", "pumpkin", "poodle", "muffin", "mop", "mitten", "maple",
    "harp", "cow", "cloud", "toy", "coin", "shoe", "boot", "pool", "goose", "spoonful", "mailbox", "pebble",
    "bagel", "waffle", "buffalo", "vulture", "oboe", "tuba", "photo", "phone", "football", "bubble",
    "cobweb", "pocketbook", "bathrobe", "popcorn", "window", "paperweight", "umbrella", "envelope", "motor",
    "oven", "valve", "beehive", "bamboo", "buffet", "cabbage", "cupboard", "pudding", "volcano", "walrus",
)

ADJECTIVES = (
    "big", "bold", "blue", "brown", "cool", "fine", "foolish", "brave", "purple", "pink", "plump", "polite",
    "proud", "busy", "bumpy", "muddy", "modern", "massive", "famous", "fabulous", "velvet", "vivid",
    "violet", "warm", "wooden", "woolen", "golden", "rough", "smooth", "small", "soft", "loud", "odd", "old",
    "awful", "hot", "calm", "dark", "large", "happy", "lovely", "proper", "broken", "bulky", "frozen", "moldy",
    "hollow", "humble", "marble", "bouncy", "fluffy", "puffy", "polished", "powerful", "mighty", "beautiful",
)

VERBS_TRANSITIVE = (
    ("move", "moved"), ("pull", "pulled"), ("push", "pushed"), ("buy", "bought"), ("bring", "brought"),
    ("borrow", "borrowed"), ("fix", "fixed"), ("fold", "folded"), ("find", "found"), ("paint", "painted"),
    ("pack", "packed"), ("pick", "picked"), ("polish", "polished"), ("boil", "boiled"), ("bake", "baked"),
    ("bump", "bumped"), ("feed", "fed"), ("fill", "filled"), ("follow", "followed"), ("visit", "visited"),
    ("wash", "washed"), ("watch", "watched"), ("open", "opened"), ("carry", "carried"), ("cover", "covered"),
    ("drop", "dropped"), ("grab", "grabbed"), ("hold", "held"), ("hug", "hugged"), ("keep", "kept"),
    ("lift", "lifted"), ("love", "loved"), ("mop", "mopped"), ("mark", "marked"), ("park", "parked"),
    ("pour", "poured"), ("praise", "praised"), ("prove", "proved"), ("pass", "passed"), ("rub", "rubbed"),
    ("shove", "shoved"), ("throw", "threw"), ("toss", "tossed"), ("wave", "waved"), ("spot", "spotted"),
    ("spoil", "spoiled"), ("stop", "stopped"), ("blow", "blew"), ("bury", "buried"), ("fetch", "fetched"),
    ("frame", "framed"), ("prop", "propped"), ("approve", "approved"), ("improve", "improved"),
    ("remove", "removed"), ("perfume", "perfumed"), ("photograph", "photographed"), ("pump", "pumped"),
)

VERBS_INTRANSITIVE = (
    ("laugh", "laughed"), ("jump", "jumped"), ("sleep", "slept"), ("vanish", "vanished"),
    ("wobble", "wobbled"), ("wander", "wandered"), ("mumble", "mumbled"), ("float", "floated"),
    ("bounce", "bounced"), ("shout", "shouted"), ("fall", "fell"), ("hop", "hopped"), ("run", "ran"),
    ("pause", "paused"), ("beam", "beamed"), ("cough", "coughed"), ("wait", "waited"), ("bow", "bowed"),
    ("frown", "frowned"), ("mope", "moped"), ("pout", "pouted"), ("boast", "boasted"), ("move", "moved"),
    ("vote", "voted"), ("bloom", "bloomed"), ("puff", "puffed"), ("nod", "nodded"), ("fumble", "fumbled"),
)

ADVERBS = (
    "slowly", "boldly", "happily", "proudly", "calmly", "quickly", "quietly", "softly", "firmly", "politely",
    "barely", "broadly", "promptly", "openly", "loudly", "madly", "fondly", "vividly", "bravely", "foolishly",
    "smoothly", "awfully", "poorly", "famously", "playfully", "powerfully", "peacefully", "often",
)

PLACES = (
    "by the pool", "across the valley", "over the bridge", "behind the barn", "near the harbor",
    "above the forest", "past the farm", "beside the fountain", "under the roof", "on the porch",
    "in the market", "around the pond", "at the mall", "from the boat", "below the balcony",
    "by the window", "at the bus stop", "in the movie", "on the sofa", "by the volcano", "in the bathroom",
    "off the ferry", "on the moor", "inside the cupboard", "beyond the meadow", "by the waterfall",
)

TIMES = (
    "on Monday", "before noon", "by evening", "every morning", "at dawn", "last fall", "in the autumn",
    "before dinner", "tomorrow", "today", "at four", "after the movie", "on Tuesday", "in May",
    "in November", "before breakfast", "by midnight", "every afternoon", "at half past five", "in the summer",
)

#: Templates over the slots of ENGLISH in sentences.py; a slot name ending in a digit draws again from
#: the same list ("{noun2}"), and "{a_adj}" / "{a_noun}" put the right indefinite article in front.
TEMPLATES = (
    "{name} {past} the {adj} {noun} {place}.",
    "The {adj} {noun} {ipast} {adv} {place} {time}.",
    "Did {name} {base} the {noun} {time}?",
    "{name} and {name2} {past} {a_adj} {noun} and {a_noun2}.",
    "Please {base} the {adj} {noun} {place}.",
    "My {rel} {ipast} {place} {time}.",
    "Why would {name} {base} {a_noun} {place}?",
    "{name} {past} the {noun}, then {ipast} {adv}.",
    "{time}, my {rel} {past} the {adj2} {noun2}.",
    "Who {past} the {adj} {noun} {place}?",
    "Maybe the {rel} will {base} {a_adj} {noun} {time}.",
    "Our {adj} {noun} {ipast} {adv} while {name} {ipast2}.",
    "Bob and Pam {past} five {adj} boxes of popcorn {place}.",
    "{name} moved the {noun} from the van to the boat {time}.",
)
