"""Demo guides (fiches pratiques): accurate, plain-French, step-by-step, each step with a screen.

`status` is "live" (published), "draft" (never published) or "review" (submitted to the
coordination's workflow). `author` is a demo counsellor's username. Competences are
(framework slug, code); themes and audiences are slugs from `workshops.reference_data`.
The people shown in the screens (Jeanne Morel, her granddaughter Léa) are fictional.
"""

from workshops.demo_images import Screen

BLUE = "#1f5fbf"
GOOGLE = "#1a5fc8"
IMPOTS = "#000091"
AMELI = "#0c419a"
DOCTOLIB = "#0b6bb3"
WHATSAPP = "#075e54"
PLAY = "#01785a"
SETTINGS = "#3c4550"
SHOP = "#a64b00"
HOME_ICONS = ("Téléphone", "Messages", "Gmail", "Play Store", "Photos", "Paramètres")

EMAIL = "jeanne.morel1956@gmail.com"


def phone(header: str, *items, accent: str = BLUE, **extra) -> Screen:
    return Screen("phone", header, tuple(items), accent=accent, extra=extra)


def browser(header: str, url: str, *items, accent: str = BLUE, **extra) -> Screen:
    return Screen("browser", header, tuple(items), url=url, accent=accent, extra=extra)


def step(title: str, text: str, alt: str, screen: Screen, tip: str = "", warning: str = "") -> dict:
    return {
        "title": title,
        "text": text,
        "alt": alt,
        "screen": screen,
        "tip": tip,
        "warning": warning,
    }


GUIDES = [
    {
        "slug": "creer-une-adresse-e-mail",
        "title": "Créer une adresse e-mail",
        "summary": (
            "Une adresse e-mail sert à recevoir des messages, mais aussi à créer vos comptes "
            "en ligne : impôts, Ameli, CAF. Cette fiche vous guide pour en créer une "
            "gratuitement avec Gmail, sur un ordinateur."
        ),
        "what_you_need": (
            "<ul><li>Un ordinateur (ou une tablette) connecté à internet</li>"
            "<li>Votre téléphone portable, pour recevoir un code par SMS</li>"
            "<li>Un carnet et un stylo pour noter votre adresse et votre mot de passe</li>"
            "<li>Environ 15 minutes</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S2.1"), ("socle", "S3.2"), ("crcn", "2.1")],
        "themes": ["e-mail"],
        "audiences": ["seniors", "adultes", "demandeurs-emploi"],
        "last_reviewed": "2026-10-05",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "camille.martin",
        "steps": [
            step(
                "Ouvrez la page de création de compte",
                "<p>Ouvrez votre navigateur internet (Chrome, Firefox, Edge…). Dans la barre "
                "d'adresse, en haut, tapez <b>gmail.com</b> puis appuyez sur la touche Entrée. "
                "Cliquez sur <b>Créer un compte</b>, puis sur <b>Pour mon usage personnel</b>.</p>",
                "Page de connexion de Gmail dans un navigateur, avec une case « Adresse e-mail ou "
                "téléphone ». Le bouton « Créer un compte » est entouré en orange.",
                browser(
                    "Gmail",
                    "accounts.google.com",
                    ("title", "Connexion"),
                    ("text", "Accéder à Gmail"),
                    ("field", "Adresse e-mail ou téléphone", ""),
                    ("button", "Suivant"),
                    ("!button2", "Créer un compte"),
                    ("small", "Pour mon usage personnel"),
                    accent=GOOGLE,
                ),
                tip="Une adresse est déjà enregistrée sur l'ordinateur ? Cliquez d'abord sur "
                "« Utiliser un autre compte ».",
            ),
            step(
                "Indiquez votre prénom et votre nom",
                "<p>Tapez votre prénom dans la première case et votre nom dans la seconde. "
                "Cliquez ensuite sur <b>Suivant</b>.</p>",
                "Formulaire « Créer un compte Google » : la case Prénom contient Jeanne, la case "
                "Nom contient Morel. Le bouton Suivant est entouré en orange.",
                browser(
                    "Google – Créer un compte",
                    "accounts.google.com/signup",
                    ("title", "Créer un compte Google"),
                    ("text", "Saisissez votre nom"),
                    ("field", "Prénom", "Jeanne"),
                    ("field", "Nom", "Morel"),
                    ("!button", "Suivant"),
                    accent=GOOGLE,
                ),
            ),
            step(
                "Indiquez votre date de naissance",
                "<p>Indiquez le jour, le mois et l'année de votre naissance, puis votre genre "
                "(vous pouvez choisir « Je préfère ne pas répondre »). Cliquez sur "
                "<b>Suivant</b>.</p>",
                "Formulaire « Informations générales » : date de naissance 14 mars 1956 et genre "
                "« Je préfère ne pas répondre ». Le bouton Suivant est entouré.",
                browser(
                    "Google – Créer un compte",
                    "accounts.google.com/signup",
                    ("title", "Informations générales"),
                    ("text", "Saisissez votre date de naissance et votre genre"),
                    ("field", "Date de naissance", "14   mars   1956"),
                    ("field", "Genre", "Je préfère ne pas répondre"),
                    ("!button", "Suivant"),
                    accent=GOOGLE,
                ),
            ),
            step(
                "Choisissez votre adresse",
                "<p>Google vous propose des adresses encore libres. Choisissez-en une, ou cliquez "
                "sur <b>Créer votre propre adresse Gmail</b> et écrivez-la vous-même. Le plus "
                "simple à retenir : <b>prénom.nom</b>, suivi de chiffres si elle est déjà "
                "prise.</p>",
                "Formulaire « Choisissez votre adresse Gmail » : la case contient "
                "jeanne.morel1956, suivi de @gmail.com. Le bouton Suivant est entouré.",
                browser(
                    "Google – Créer un compte",
                    "accounts.google.com/signup",
                    ("title", "Choisissez votre adresse Gmail"),
                    ("text", "Créez votre propre adresse Gmail"),
                    ("field", "Adresse Gmail", "jeanne.morel1956"),
                    ("small", "@gmail.com – lettres, chiffres et points uniquement"),
                    ("!button", "Suivant"),
                    accent=GOOGLE,
                ),
                tip="Choisissez une adresse sérieuse : vous la donnerez à votre banque, à votre "
                "médecin ou à un employeur.",
                warning="Pas d'espace ni d'accent dans une adresse e-mail. Notez-la tout de suite "
                "dans votre carnet, lettre par lettre.",
            ),
            step(
                "Choisissez un mot de passe",
                "<p>Tapez un mot de passe d'au moins 8 caractères, avec des lettres, des chiffres "
                "et des symboles. Tapez-le une deuxième fois dans la case <b>Confirmer</b>, puis "
                "cliquez sur <b>Suivant</b>.</p>",
                "Formulaire « Créer un mot de passe fort » : deux cases remplies de points, Mot "
                "de passe et Confirmer. Le bouton Suivant est entouré.",
                browser(
                    "Google – Créer un compte",
                    "accounts.google.com/signup",
                    ("title", "Créer un mot de passe fort"),
                    ("password", "Mot de passe", 12),
                    ("password", "Confirmer", 12),
                    ("!button", "Suivant"),
                    accent=GOOGLE,
                ),
                tip="Prenez les premières lettres d'une phrase que vous connaissez par cœur, "
                "avec des chiffres et un symbole. Évitez votre date de naissance ou le prénom "
                "de vos proches.",
                warning="Notez votre mot de passe dans un carnet rangé chez vous, jamais dans "
                "votre portefeuille ou avec votre téléphone.",
            ),
            step(
                "Ajoutez votre numéro de téléphone",
                "<p>Google vous demande votre numéro de portable et vous envoie un <b>code à 6 "
                "chiffres par SMS</b>. Tapez ce code dans la case prévue. Ce numéro vous "
                "permettra de récupérer votre compte si vous oubliez votre mot de passe.</p>",
                "Formulaire de validation du numéro de téléphone : le numéro 06 12 34 56 78 et "
                "le code reçu par SMS, 482913. Le bouton Suivant est entouré.",
                browser(
                    "Google – Créer un compte",
                    "accounts.google.com/signup",
                    ("title", "Validez votre numéro de téléphone"),
                    ("field", "Numéro de téléphone", "06 12 34 56 78"),
                    ("field", "Code reçu par SMS", "482913"),
                    ("!button", "Suivant"),
                    accent=GOOGLE,
                ),
                tip="Google peut aussi vous proposer d'ajouter une adresse e-mail de secours : "
                "celle d'un proche de confiance convient très bien.",
            ),
            step(
                "Acceptez les conditions d'utilisation",
                "<p>Google affiche un récapitulatif de votre compte, puis ses règles de "
                "confidentialité. Faites défiler la page jusqu'en bas avec la molette de la "
                "souris, puis cliquez sur <b>J'accepte</b>.</p>",
                "Page « Règles de confidentialité et conditions d'utilisation » de Google. Le "
                "bouton « J'accepte », en bas de la page, est entouré.",
                browser(
                    "Google – Créer un compte",
                    "accounts.google.com/signup",
                    ("title", "Règles de confidentialité et conditions d'utilisation"),
                    (
                        "small",
                        "Pour créer un compte Google, vous devez accepter les conditions "
                        "d'utilisation ci-dessous. Nous traitons vos données comme décrit dans nos "
                        "règles de confidentialité.",
                    ),
                    ("button2", "Plus d'options"),
                    ("!button", "J'accepte"),
                    accent=GOOGLE,
                ),
                tip="Vous pouvez limiter la personnalisation des publicités : cela ne change "
                "rien au fonctionnement de votre boîte e-mail.",
            ),
            step(
                "Découvrez votre boîte de réception",
                "<p>C'est fini ! Votre boîte de réception s'ouvre avec un premier message de "
                "bienvenue. Pour vérifier que tout marche, envoyez un e-mail à un proche ou à "
                "votre conseiller numérique et demandez-lui de vous répondre.</p>",
                "Boîte de réception Gmail avec un message de bienvenue de l'équipe Google. Le "
                "bouton « Nouveau message » est entouré.",
                browser(
                    "Gmail",
                    "mail.google.com",
                    ("!button", "Nouveau message"),
                    ("mail", "L'équipe de la communauté Google", "Bienvenue dans Gmail, Jeanne"),
                    ("mail", "Google", "Votre compte Google est prêt"),
                    ("small", "Boîte de réception – 2 messages"),
                    accent=GOOGLE,
                ),
                tip="Sur votre téléphone, installez l'application Gmail et connectez-vous avec "
                "la même adresse et le même mot de passe : vous recevrez vos messages partout.",
            ),
        ],
    },
    {
        "slug": "reconnaitre-un-sms-frauduleux",
        "title": "Reconnaître un SMS frauduleux",
        "summary": (
            "Faux colis en attente, fausse carte Vitale à renouveler, fausse amende : les "
            "arnaques par SMS sont nombreuses. Voici comment les reconnaître, ne pas tomber "
            "dans le piège et les signaler."
        ),
        "what_you_need": (
            "<ul><li>Votre téléphone portable</li>"
            "<li>Le SMS qui vous semble suspect (ne l'effacez pas tout de suite)</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S4.1"), ("crcn", "4.2")],
        "themes": ["securite-numerique"],
        "audiences": ["seniors", "adultes", "jeunes", "allophones"],
        "last_reviewed": "2026-11-02",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "julien.bernard",
        "steps": [
            step(
                "Regardez qui vous écrit",
                "<p>Un organisme sérieux (Assurance Maladie, La Poste, votre banque) n'écrit pas "
                "depuis un numéro de portable ordinaire commençant par 06 ou 07. Méfiez-vous "
                "aussi des messages qui ne vous appellent pas par votre nom.</p>",
                "Un SMS reçu du numéro de portable +33 7 56 21 48 90, qui dit venir d'Ameli et "
                "demande de renouveler la carte Vitale. Le message et son expéditeur sont "
                "entourés en orange.",
                phone(
                    "Messages",
                    ("small", "Aujourd'hui 09:12"),
                    (
                        "!bubble",
                        "+33 7 56 21 48 90",
                        "Ameli : votre carte Vitale arrive à expiration. Renouvelez-la avant le "
                        "30/11 sur ameli-carte-renouv.info",
                    ),
                ),
            ),
            step(
                "Méfiez-vous de l'urgence et des petites sommes",
                "<p>Les escrocs veulent vous faire agir vite, sans réfléchir : « dernier délai », "
                "« votre compte sera bloqué », « payez 1,99 € de frais de livraison ». Un vrai "
                "organisme vous laisse le temps et ne demande jamais vos coordonnées bancaires "
                "par SMS.</p>",
                "SMS d'un numéro inconnu : « Votre colis n'a pas pu être livré, des frais de "
                "1,99 € sont à régler avant 24 h », suivi d'un lien. Le message est entouré.",
                phone(
                    "Messages",
                    ("small", "Hier 18:47"),
                    (
                        "!bubble",
                        "+33 6 44 82 17 35",
                        "Votre colis n'a pas pu être livré. Des frais de 1,99 € sont à régler "
                        "AVANT 24H : suivi-colis-fr.com/paiement",
                    ),
                ),
                tip="Bon à savoir : la carte Vitale n'a pas de date d'expiration. Un message qui "
                "vous demande de la « renouveler » est toujours une arnaque.",
            ),
            step(
                "Ne touchez pas le lien",
                "<p>Le lien mène à un faux site qui imite le vrai, pour voler vos identifiants ou "
                "votre numéro de carte bancaire. Regardez l'adresse : "
                "<b>ameli-carte-renouv.info</b> n'est pas <b>ameli.fr</b>. Dans le doute, ne "
                "touchez à rien.</p>",
                "Le SMS frauduleux et, dessous, un encadré rouge qui rappelle que l'adresse du "
                "lien, ameli-carte-renouv.info, n'est pas celle du vrai site ameli.fr.",
                phone(
                    "Messages",
                    (
                        "bubble",
                        "+33 7 56 21 48 90",
                        "Ameli : votre carte Vitale arrive à expiration. Renouvelez-la avant le "
                        "30/11 sur ameli-carte-renouv.info",
                    ),
                    (
                        "notice",
                        "Ce lien mène à ameli-carte-renouv.info. Le vrai site de l'Assurance "
                        "Maladie est ameli.fr.",
                        "warn",
                    ),
                ),
                warning="Ne répondez pas à ce genre de SMS, même « STOP » : vous confirmeriez "
                "que votre numéro est utilisé.",
            ),
            step(
                "Vérifiez par vous-même",
                "<p>En cas de doute, vérifiez sans passer par le message : ouvrez vous-même "
                "l'application ou le site officiel (ameli.fr, laposte.fr, l'application de votre "
                "banque), ou appelez le numéro habituel, celui de vos courriers ou du dos de "
                "votre carte.</p>",
                "Écran d'accueil d'un téléphone avec six applications. L'application Ameli est "
                "entourée : c'est par elle qu'on vérifie, pas par le lien du SMS.",
                phone(
                    "Écran d'accueil",
                    (
                        "icons",
                        ("Téléphone", "Messages", "Ameli", "Ma banque", "La Poste", "Paramètres"),
                        2,
                    ),
                    ("text", "Ouvrez vous-même l'application officielle pour vérifier."),
                ),
            ),
            step(
                "Signalez le SMS au 33700",
                "<p>Transférez le SMS au <b>33700</b>, le numéro gratuit de signalement des "
                "spams : appuyez longuement sur le message, choisissez <b>Transférer</b>, tapez "
                "33700 comme destinataire et envoyez. Un SMS vous demande ensuite le numéro de "
                "l'expéditeur : envoyez-le aussi.</p>",
                "Écran de transfert d'un SMS : le destinataire est 33700 et le message "
                "frauduleux est recopié. Le bouton Envoyer est entouré.",
                phone(
                    "Transférer",
                    ("field", "Destinataire", "33700"),
                    (
                        "bubble",
                        "Message transféré",
                        "Votre colis n'a pas pu être livré. Des frais de 1,99 € sont à régler "
                        "AVANT 24H : suivi-colis-fr.com/paiement",
                    ),
                    ("!button", "Envoyer"),
                ),
                tip="Le site officiel cybermalveillance.gouv.fr explique aussi quoi faire selon "
                "votre situation, et permet de signaler une arnaque.",
            ),
            step(
                "Supprimez le message et bloquez le numéro",
                "<p>Une fois le signalement fait, supprimez le message. Vous pouvez aussi bloquer "
                "le numéro : touchez le numéro en haut de la conversation, puis <b>Bloquer ce "
                "numéro</b>.</p>",
                "Menu de la conversation avec le numéro inconnu : Appeler, Bloquer ce numéro, "
                "Supprimer la conversation. « Bloquer ce numéro » est entouré.",
                phone(
                    "+33 7 56 21 48 90",
                    ("list", ("Appeler", "Bloquer ce numéro", "Supprimer la conversation"), 1),
                ),
                warning="Vous avez déjà donné vos coordonnées bancaires ? Appelez tout de suite "
                "votre banque, ou le 0 892 705 705 (opposition bancaire, 7 jours sur 7), pour "
                "bloquer votre carte, puis portez plainte.",
            ),
        ],
    },
    {
        "slug": "prendre-rendez-vous-chez-le-medecin-en-ligne",
        "title": "Prendre rendez-vous chez le médecin en ligne",
        "summary": (
            "Beaucoup de médecins, dentistes et kinés proposent de prendre rendez-vous sur "
            "internet, à toute heure. Cette fiche vous montre comment faire avec Doctolib, le "
            "service le plus utilisé, sur votre téléphone."
        ),
        "what_you_need": (
            "<ul><li>Un téléphone ou un ordinateur connecté à internet</li>"
            "<li>Votre adresse e-mail et votre téléphone portable (pour recevoir un code)</li>"
            "<li>Votre agenda, pour choisir un horaire qui vous convient</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S3.4"), ("socle", "S3.2"), ("crcn", "2.4")],
        "themes": ["sante", "demarches-social-sante"],
        "audiences": ["seniors", "adultes", "parents"],
        "last_reviewed": "2026-09-21",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "sophie.petit",
        "steps": [
            step(
                "Ouvrez Doctolib",
                "<p>Touchez l'application <b>Doctolib</b>, ou allez sur le site "
                "<b>doctolib.fr</b> depuis votre navigateur. Vous n'avez pas besoin de compte "
                "pour chercher un médecin.</p>",
                "Écran d'accueil d'un téléphone. L'icône de l'application Doctolib est entourée.",
                phone(
                    "Écran d'accueil",
                    (
                        "icons",
                        ("Téléphone", "Messages", "Doctolib", "Photos", "Gmail", "Agenda"),
                        2,
                    ),
                ),
                tip="Pas d'application ? Le site doctolib.fr fonctionne de la même façon dans le "
                "navigateur.",
            ),
            step(
                "Cherchez votre médecin",
                "<p>Dans la première case, tapez le nom de votre médecin ou la spécialité, par "
                "exemple « médecin généraliste ». Dans la seconde, tapez votre ville. Touchez "
                "<b>Rechercher</b>.</p>",
                "Page de recherche de Doctolib : « Médecin généraliste » dans la première case, "
                "« La Roche-sur-Yon » dans la case Où. Le bouton Rechercher est entouré.",
                phone(
                    "Doctolib",
                    ("title", "Prenez rendez-vous"),
                    ("field", "Nom, spécialité", "Médecin généraliste"),
                    ("field", "Où ?", "La Roche-sur-Yon"),
                    ("!button", "Rechercher"),
                    accent=DOCTOLIB,
                ),
            ),
            step(
                "Choisissez le praticien",
                "<p>La liste des médecins s'affiche avec leur adresse. Vérifiez bien l'adresse du "
                "cabinet, puis touchez <b>Prendre rendez-vous</b> sous le nom du médecin.</p>",
                "Liste de deux médecins généralistes avec leur adresse. Le bouton « Prendre "
                "rendez-vous » sous le premier, Dr Anne Lefèvre, est entouré.",
                phone(
                    "Doctolib",
                    (
                        "card",
                        "Dr Anne Lefèvre",
                        "Médecin généraliste – 12 rue Clemenceau, La Roche-sur-Yon",
                    ),
                    ("!button", "Prendre rendez-vous"),
                    (
                        "card",
                        "Dr Marc Rousseau",
                        "Médecin généraliste – 3 place Napoléon, La Roche-sur-Yon",
                    ),
                    ("button2", "Prendre rendez-vous"),
                    accent=DOCTOLIB,
                ),
                warning="Certains médecins ne proposent en ligne que des rendez-vous pour leurs "
                "patients habituels. Si aucun horaire n'apparaît, appelez le cabinet.",
            ),
            step(
                "Indiquez le motif",
                "<p>Répondez aux questions : avez-vous déjà consulté ce médecin ? Quel est le "
                "motif : consultation, renouvellement d'ordonnance, vaccination ? Vos réponses "
                "permettent de réserver la bonne durée.</p>",
                "Questions de Doctolib : « Avez-vous déjà consulté ce praticien ? » avec Oui "
                "entouré, puis la liste des motifs de consultation.",
                phone(
                    "Dr Anne Lefèvre",
                    ("title", "Avez-vous déjà consulté ce praticien ?"),
                    ("list", ("Oui", "Non"), 0),
                    ("small", "Choisissez votre motif de consultation"),
                    (
                        "list",
                        ("Consultation de suivi", "Renouvellement d'ordonnance", "Vaccination"),
                    ),
                    accent=DOCTOLIB,
                ),
            ),
            step(
                "Choisissez un horaire",
                "<p>Les jours et heures libres s'affichent. Touchez l'horaire qui vous convient. "
                "Faites glisser vers la gauche pour voir les jours suivants.</p>",
                "Horaires libres du mardi 1er décembre : 08:30, 09:15, 10:45 et 14:00. "
                "L'horaire 10:45 est entouré.",
                phone(
                    "Dr Anne Lefèvre",
                    ("title", "Mardi 1er décembre"),
                    ("list", ("08:30", "09:15", "10:45", "14:00", "16:30"), 2),
                    ("small", "Faites glisser pour voir les jours suivants"),
                    accent=DOCTOLIB,
                ),
            ),
            step(
                "Connectez-vous ou créez votre compte",
                "<p>Pour réserver, Doctolib vous demande de vous connecter. La première fois, "
                "touchez <b>Créer un compte</b> : indiquez votre adresse e-mail, votre numéro de "
                "portable et choisissez un mot de passe. Un code de vérification vous est envoyé "
                "par SMS.</p>",
                "Écran de connexion de Doctolib avec une case e-mail, une case mot de passe et "
                "le bouton Se connecter. Le bouton « Créer un compte », plus bas, est entouré.",
                phone(
                    "Doctolib",
                    ("title", "Vous avez déjà un compte ?"),
                    ("field", "E-mail", EMAIL),
                    ("password", "Mot de passe", 10),
                    ("button", "Se connecter"),
                    ("small", "Nouveau sur Doctolib ?"),
                    ("!button2", "Créer un compte"),
                    accent=DOCTOLIB,
                ),
                tip="Vous pouvez ajouter un proche à votre compte (conjoint, enfant) et prendre "
                "rendez-vous pour lui.",
            ),
            step(
                "Vérifiez et confirmez",
                "<p>Relisez le récapitulatif : médecin, adresse, date et heure. Touchez "
                "<b>Confirmer le rendez-vous</b>. Vous recevez une confirmation par e-mail, puis "
                "un rappel par SMS avant le rendez-vous.</p>",
                "Récapitulatif du rendez-vous avec le Dr Anne Lefèvre le mardi 1er décembre à "
                "10:45. Le bouton « Confirmer le rendez-vous » est entouré.",
                phone(
                    "Récapitulatif",
                    (
                        "card",
                        "Dr Anne Lefèvre",
                        "Mardi 1er décembre à 10:45 – 12 rue Clemenceau, La Roche-sur-Yon",
                    ),
                    ("card", "Motif", "Consultation de suivi"),
                    ("!button", "Confirmer le rendez-vous"),
                    accent=DOCTOLIB,
                ),
                warning="Vous ne pouvez pas venir ? Annulez depuis l'application ou le lien reçu "
                "par e-mail : la place sera libérée pour un autre patient.",
            ),
        ],
    },
    {
        "slug": "declarer-ses-revenus-en-ligne",
        "title": "Déclarer ses revenus en ligne",
        "summary": (
            "Chaque printemps, il faut déclarer ses revenus de l'année précédente. Sur "
            "impots.gouv.fr, la déclaration est déjà remplie en grande partie : il suffit de "
            "vérifier, de compléter si besoin, puis de signer."
        ),
        "what_you_need": (
            "<ul><li>Votre <b>numéro fiscal</b> : 13 chiffres, en haut de votre dernière "
            "déclaration ou de votre avis d'impôt</li>"
            "<li>Votre mot de passe impots.gouv.fr, ou un autre compte utilisable avec "
            "FranceConnect (Ameli, La Poste…)</li>"
            "<li>Vos justificatifs : attestations de salaire ou de retraite, reçus de dons, "
            "factures d'aide à domicile</li></ul>"
        ),
        "difficulty": "intermediaire",
        "competences": [("socle", "S3.3"), ("crcn", "2.4")],
        "themes": ["aide-aux-demarches-administratives", "demarches-argent"],
        "audiences": ["adultes", "seniors"],
        "last_reviewed": "2026-04-08",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "karim.haddad",
        "steps": [
            step(
                "Allez sur impots.gouv.fr",
                "<p>Ouvrez votre navigateur et tapez <b>impots.gouv.fr</b> dans la barre "
                "d'adresse. Cliquez sur <b>Votre espace particulier</b>, en haut à droite.</p>",
                "Page d'accueil du site impots.gouv.fr. Le bouton « Votre espace particulier » "
                "est entouré.",
                browser(
                    "impots.gouv.fr",
                    "www.impots.gouv.fr",
                    ("title", "Bienvenue sur impots.gouv.fr"),
                    ("text", "Particulier ou professionnel : accédez à vos services en ligne."),
                    ("!button", "Votre espace particulier"),
                    ("button2", "Votre espace professionnel"),
                    accent=IMPOTS,
                ),
                warning="Le seul site officiel est impots.gouv.fr, et la déclaration est gratuite. "
                "Un site qui vous demande de payer pour la faire n'est pas le bon.",
            ),
            step(
                "Connectez-vous",
                "<p>Tapez votre <b>numéro fiscal</b> (13 chiffres), cliquez sur "
                "<b>Continuer</b>, puis tapez votre mot de passe. Vous pouvez aussi cliquer sur "
                "<b>S'identifier avec FranceConnect</b>.</p>",
                "Page de connexion de l'espace particulier avec la case Numéro fiscal remplie. "
                "Le bouton Continuer est entouré ; dessous, le bouton FranceConnect.",
                browser(
                    "impots.gouv.fr – Connexion",
                    "cfspart.impots.gouv.fr",
                    ("title", "Connexion ou création de votre espace"),
                    ("field", "Numéro fiscal", "12 34 567 890 123"),
                    ("!button", "Continuer"),
                    ("button2", "S'identifier avec FranceConnect"),
                    accent=IMPOTS,
                ),
                tip="Première connexion ? Cliquez sur « Créer mon espace ». Il vous faudra aussi "
                "votre numéro d'accès en ligne et votre revenu fiscal de référence, écrits sur "
                "votre dernier avis d'impôt.",
            ),
            step(
                "Ouvrez votre déclaration",
                "<p>Dans votre espace, cliquez sur <b>Déclarer mes revenus</b>. La déclaration "
                "en ligne est ouverte au printemps, en général d'avril à juin ; la date limite "
                "dépend de votre département.</p>",
                "Espace particulier d'impots.gouv.fr avec trois rubriques. « Déclarer mes "
                "revenus » est entouré.",
                browser(
                    "impots.gouv.fr – Mon espace",
                    "cfspart.impots.gouv.fr/accueil",
                    ("title", "Bonjour Jeanne"),
                    (
                        "list",
                        ("Déclarer mes revenus", "Gérer mon prélèvement à la source", "Documents"),
                        0,
                    ),
                    accent=IMPOTS,
                ),
                tip="Si rien n'a changé pour vous et que vos revenus sont tous connus, vous "
                "pouvez bénéficier de la déclaration automatique : un courrier ou un e-mail vous "
                "le dit. Vérifiez quand même le récapitulatif.",
            ),
            step(
                "Vérifiez votre situation",
                "<p>La première étape rappelle votre état civil, votre adresse et votre situation "
                "de famille. Mariage, naissance, déménagement dans l'année ? Indiquez-le ici. "
                "Cliquez ensuite sur <b>Continuer</b>.</p>",
                "Étape 1 de la déclaration : la situation de famille et l'adresse au 1er janvier "
                "sont affichées. Le bouton Continuer est entouré.",
                browser(
                    "impots.gouv.fr – Déclaration",
                    "cfspart.impots.gouv.fr/declaration",
                    ("title", "Étape 1 : état civil et situation"),
                    ("field", "Situation de famille", "Veuve"),
                    ("field", "Adresse au 1er janvier", "8 rue des Lilas, 85000 La Roche-sur-Yon"),
                    ("!button", "Continuer"),
                    accent=IMPOTS,
                ),
            ),
            step(
                "Contrôlez les montants déjà remplis",
                "<p>Les salaires, retraites et allocations chômage sont déjà indiqués : vos "
                "employeurs et caisses de retraite les ont transmis. Comparez-les avec vos "
                "attestations. Si un montant est faux, cliquez dessus et corrigez-le.</p>",
                "Revenus déjà connus : pensions et retraites, case 1AS, 14 860 euros. La ligne "
                "est entourée pour être comparée à l'attestation.",
                browser(
                    "impots.gouv.fr – Déclaration",
                    "cfspart.impots.gouv.fr/declaration",
                    ("title", "Revenus déjà connus"),
                    ("!card", "Pensions, retraites, rentes – case 1AS", "14 860 €"),
                    ("card", "Salaires – case 1AJ", "0 €"),
                    ("button", "Continuer"),
                    accent=IMPOTS,
                ),
                tip="Un montant prérempli est à vérifier, pas à accepter les yeux fermés : c'est "
                "vous qui signez la déclaration.",
            ),
            step(
                "Ajoutez ce qui manque",
                "<p>Certaines dépenses donnent droit à une réduction ou un crédit d'impôt et ne "
                "sont pas préremplies : dons aux associations, emploi d'une aide à domicile, "
                "frais de garde d'un jeune enfant. Cochez les rubriques qui vous concernent, "
                "puis indiquez les montants.</p>",
                "Page « Sélection des rubriques » : Dons à des associations et Emploi d'un "
                "salarié à domicile sont cochés. Le bouton Continuer est entouré.",
                browser(
                    "impots.gouv.fr – Déclaration",
                    "cfspart.impots.gouv.fr/declaration",
                    ("title", "Sélection des rubriques"),
                    ("check", "Dons à des associations"),
                    ("check", "Emploi d'un salarié à domicile"),
                    ("!button", "Continuer"),
                    accent=IMPOTS,
                ),
            ),
            step(
                "Signez votre déclaration",
                "<p>Vérifiez le récapitulatif et l'estimation de votre impôt, puis cliquez sur "
                "<b>Signer</b>. Un accusé de réception s'affiche et vous arrive par e-mail : "
                "gardez-le.</p>",
                "Page de signature de la déclaration avec un message d'information. Le bouton "
                "Signer est entouré.",
                browser(
                    "impots.gouv.fr – Déclaration",
                    "cfspart.impots.gouv.fr/declaration",
                    ("title", "Signature"),
                    ("notice", "Votre déclaration va être signée électroniquement.", "info"),
                    ("text", "Estimation de votre impôt : 0 €"),
                    ("!button", "Signer"),
                    accent=IMPOTS,
                ),
                tip="Une erreur après avoir signé ? Vous pourrez corriger votre déclaration en "
                "ligne à partir de l'été, avec le service « Corriger ma déclaration en ligne ».",
            ),
        ],
    },
    {
        "slug": "faire-une-visio-avec-ses-petits-enfants",
        "title": "Faire une visio avec ses petits-enfants",
        "summary": (
            "Voir et entendre ses proches, même loin : avec WhatsApp, l'appel vidéo est gratuit "
            "en wifi et se lance en deux gestes. Cette fiche explique comment appeler, et "
            "comment raccrocher."
        ),
        "what_you_need": (
            "<ul><li>Un smartphone avec l'application WhatsApp (voir la fiche « Installer une "
            "application sur son téléphone »)</li>"
            "<li>Le numéro de vos proches enregistré dans vos contacts, et WhatsApp installé "
            "chez eux aussi</li>"
            "<li>De préférence le wifi de la maison : une visio consomme beaucoup de données "
            "mobiles</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S2.3"), ("crcn", "2.1")],
        "themes": ["reseaux-sociaux", "prendre-en-main-du-materiel"],
        "audiences": ["seniors"],
        "last_reviewed": "2026-10-19",
        "licence": "cc-by-sa-4.0",
        "status": "live",
        "author": "sophie.petit",
        "steps": [
            step(
                "Ouvrez WhatsApp",
                "<p>Touchez l'icône verte de <b>WhatsApp</b> sur l'écran d'accueil. Vous arrivez "
                "sur la liste de vos discussions.</p>",
                "Écran d'accueil d'un téléphone. L'icône WhatsApp est entourée.",
                phone(
                    "Écran d'accueil",
                    (
                        "icons",
                        ("Téléphone", "Messages", "WhatsApp", "Photos", "Gmail", "Paramètres"),
                        2,
                    ),
                ),
            ),
            step(
                "Choisissez la personne à appeler",
                "<p>Touchez le nom de la personne. Elle n'apparaît pas ? Touchez l'icône de "
                "message, en bas à droite, puis cherchez son nom dans vos contacts.</p>",
                "Liste des discussions WhatsApp : Léa, Thomas, Famille Morel. La discussion avec "
                "Léa est entourée.",
                phone(
                    "WhatsApp",
                    ("list", ("Léa", "Thomas", "Famille Morel", "Club de marche"), 0),
                    accent=WHATSAPP,
                ),
            ),
            step(
                "Lancez l'appel vidéo",
                "<p>En haut de la conversation, touchez l'icône de la <b>caméra</b>. Attention à "
                "ne pas la confondre avec le combiné de téléphone, qui lance un appel sans "
                "image. Le téléphone de votre proche sonne.</p>",
                "Conversation avec Léa, qui a écrit « Coucou Mamie ! On s'appelle ce soir ? ». Le "
                "bouton « Appel vidéo » est entouré.",
                phone(
                    "Léa",
                    ("bubble", "Léa", "Coucou Mamie ! On s'appelle ce soir ?"),
                    ("!button", "Appel vidéo"),
                    ("button2", "Appel audio (sans image)"),
                    accent=WHATSAPP,
                ),
                warning="Sans wifi, une heure de visio peut consommer plusieurs centaines de "
                "mégaoctets de votre forfait.",
            ),
            step(
                "Tenez le téléphone face à vous",
                "<p>Quand votre proche décroche, son visage apparaît en grand et le vôtre dans "
                "le petit cadre. Tenez le téléphone droit, à hauteur des yeux, à la distance "
                "d'un bras.</p>",
                "Appel vidéo en cours avec Léa : son visage occupe l'écran, le vôtre apparaît "
                "dans un petit cadre en haut à droite.",
                phone(
                    "Appel vidéo",
                    ("video", "Léa"),
                    ("text", "Le petit cadre montre ce que voit votre proche."),
                    accent=WHATSAPP,
                ),
                tip="Mettez-vous face à une fenêtre ou à une lampe, pas dos à elle : on verra "
                "mieux votre visage.",
            ),
            step(
                "Utilisez les boutons",
                "<p>Touchez l'écran pour faire apparaître les boutons : le <b>micro</b> coupe ou "
                "remet le son, la <b>caméra</b> coupe ou remet l'image. Le bouton aux deux "
                "flèches retourne la caméra pour montrer ce qui est devant vous.</p>",
                "Appel vidéo avec les boutons Micro, Caméra et Raccrocher en bas de l'image. Un "
                "message indique que le micro est coupé.",
                phone(
                    "Appel vidéo",
                    ("video", "Léa"),
                    ("notice", "Micro coupé : Léa ne vous entend plus.", "warn"),
                    accent=WHATSAPP,
                ),
            ),
            step(
                "Raccrochez",
                "<p>Pour terminer l'appel, touchez le <b>bouton rouge</b>. Quand c'est vous qu'on "
                "appelle, touchez ou faites glisser le bouton vert pour répondre.</p>",
                "Appel vidéo en cours. Le bouton rouge Raccrocher, en bas à droite, est entouré.",
                phone(
                    "Appel vidéo",
                    ("video", "Léa"),
                    ("text", "Touchez le bouton rouge pour raccrocher."),
                    accent=WHATSAPP,
                    hangup=True,
                ),
            ),
        ],
    },
    {
        "slug": "utiliser-franceconnect",
        "title": "Utiliser FranceConnect",
        "summary": (
            "FranceConnect vous permet de vous connecter à de nombreux services publics (CAF, "
            "retraite, ANTS, France Travail…) avec un compte que vous avez déjà, comme "
            "impots.gouv.fr ou ameli.fr. Un seul mot de passe à retenir."
        ),
        "what_you_need": (
            "<ul><li>Un compte chez l'un des partenaires de FranceConnect : impots.gouv.fr, "
            "ameli.fr, l'Identité Numérique La Poste, MSA, ou l'application France Identité</li>"
            "<li>L'identifiant et le mot de passe de ce compte</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S3.3"), ("socle", "S3.2"), ("crcn", "2.4")],
        "themes": ["aide-aux-demarches-administratives", "demarches-papiers"],
        "audiences": ["adultes", "seniors", "demandeurs-emploi"],
        "last_reviewed": "2026-09-07",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "camille.martin",
        "steps": [
            step(
                "Repérez le bouton FranceConnect",
                "<p>Sur le site où vous voulez vous connecter (ici la CAF), cherchez le bouton "
                "bleu <b>S'identifier avec FranceConnect</b> et cliquez dessus.</p>",
                "Page de connexion du site de la CAF avec les cases habituelles. En dessous, le "
                "bouton « S'identifier avec FranceConnect » est entouré.",
                browser(
                    "caf.fr – Mon Compte",
                    "www.caf.fr",
                    ("title", "Connexion à Mon Compte"),
                    ("field", "Numéro allocataire", ""),
                    ("password", "Mot de passe", 0),
                    ("small", "ou"),
                    ("!button", "S'identifier avec FranceConnect"),
                    accent=IMPOTS,
                ),
                warning="Le vrai bouton vous emmène toujours sur une page franceconnect.gouv.fr. "
                "Vérifiez l'adresse avant de taper votre mot de passe.",
            ),
            step(
                "Choisissez un compte que vous avez déjà",
                "<p>FranceConnect vous propose plusieurs comptes. Cliquez sur celui dont vous "
                "connaissez le mot de passe, par exemple <b>impots.gouv.fr</b> ou "
                "<b>ameli.fr</b>.</p>",
                "Page FranceConnect « Je choisis un compte pour me connecter » avec cinq "
                "comptes. impots.gouv.fr est entouré.",
                browser(
                    "FranceConnect",
                    "app.franceconnect.gouv.fr",
                    ("title", "Je choisis un compte pour me connecter"),
                    (
                        "list",
                        (
                            "impots.gouv.fr",
                            "ameli.fr",
                            "L'Identité Numérique La Poste",
                            "MSA",
                            "France Identité",
                        ),
                        0,
                    ),
                    accent=IMPOTS,
                ),
            ),
            step(
                "Connectez-vous avec ce compte",
                "<p>La page de connexion du compte choisi s'ouvre. Tapez son identifiant (pour "
                "impots.gouv.fr, votre numéro fiscal) et son mot de passe, comme "
                "d'habitude.</p>",
                "Page de connexion d'impots.gouv.fr ouverte par FranceConnect, avec le numéro "
                "fiscal et le mot de passe. Le bouton Se connecter est entouré.",
                browser(
                    "impots.gouv.fr – Connexion",
                    "cfspart.impots.gouv.fr",
                    ("title", "Connexion avec FranceConnect"),
                    ("field", "Numéro fiscal", "12 34 567 890 123"),
                    ("password", "Mot de passe", 11),
                    ("!button", "Se connecter"),
                    accent=IMPOTS,
                ),
            ),
            step(
                "Vérifiez vos informations",
                "<p>FranceConnect affiche les informations transmises au site : nom, prénoms, "
                "date et lieu de naissance. Vérifiez-les, puis cliquez sur <b>Continuer</b> "
                "vers le site de départ.</p>",
                "Page FranceConnect qui affiche Jeanne Morel, née le 14/03/1956 à Nantes. Le "
                "bouton « Continuer sur caf.fr » est entouré.",
                browser(
                    "FranceConnect",
                    "app.franceconnect.gouv.fr",
                    ("title", "Vous êtes bien connecté(e)"),
                    ("card", "Jeanne Morel", "Née le 14/03/1956 à Nantes (44)"),
                    ("!button", "Continuer sur caf.fr"),
                    accent=IMPOTS,
                ),
            ),
            step(
                "Vous voilà connecté(e)",
                "<p>Vous arrivez dans votre espace sur le site de départ, sans avoir créé de "
                "nouveau mot de passe. La prochaine fois, refaites exactement le même "
                "chemin.</p>",
                "Espace personnel sur caf.fr avec le message « Connecté(e) avec FranceConnect » "
                "et les rubriques Mes paiements, Mes démarches, Mes messages.",
                browser(
                    "caf.fr – Mon Compte",
                    "www.caf.fr/mon-compte",
                    ("notice", "Connecté(e) avec FranceConnect", "ok"),
                    ("title", "Mon Compte"),
                    ("list", ("Mes paiements", "Mes démarches", "Mes messages")),
                    accent=IMPOTS,
                ),
            ),
            step(
                "Déconnectez-vous à la fin",
                "<p>Quand vous avez fini, cliquez sur <b>Se déconnecter</b>, surtout sur un "
                "ordinateur partagé (médiathèque, France Services). FranceConnect vous propose "
                "aussi de vous déconnecter de tous les services.</p>",
                "Espace personnel sur caf.fr. Le bouton « Se déconnecter » est entouré.",
                browser(
                    "caf.fr – Mon Compte",
                    "www.caf.fr/mon-compte",
                    ("title", "Mon Compte"),
                    ("text", "Jeanne Morel"),
                    ("!button2", "Se déconnecter"),
                    accent=IMPOTS,
                ),
                tip="Sur un ordinateur partagé, fermez aussi le navigateur en partant.",
            ),
        ],
    },
    {
        "slug": "retrouver-un-mot-de-passe-oublie",
        "title": "Retrouver un mot de passe oublié",
        "summary": (
            "Vous ne retrouvez plus votre mot de passe ? Pas de panique : presque tous les "
            "sites permettent d'en choisir un nouveau en quelques minutes, grâce à un lien "
            "envoyé sur votre adresse e-mail."
        ),
        "what_you_need": (
            "<ul><li>L'adresse e-mail utilisée pour créer le compte</li>"
            "<li>Un accès à cette boîte e-mail (ou au téléphone lié au compte)</li>"
            "<li>Votre carnet pour noter le nouveau mot de passe</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S3.2"), ("crcn", "4.1")],
        "themes": ["securite-numerique", "navigation-sur-internet"],
        "audiences": ["seniors", "adultes", "jeunes"],
        "last_reviewed": "2026-08-28",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "julien.bernard",
        "steps": [
            step(
                "Touchez « Mot de passe oublié ? »",
                "<p>Sur la page de connexion du site, sous la case du mot de passe, touchez le "
                "lien <b>Mot de passe oublié ?</b>. Il s'appelle parfois « Identifiants oubliés » "
                "ou « Je n'arrive pas à me connecter ».</p>",
                "Page de connexion avec l'adresse e-mail et le mot de passe. Le lien « Mot de "
                "passe oublié ? » sous le bouton Se connecter est entouré.",
                phone(
                    "Connexion",
                    ("field", "Adresse e-mail", EMAIL),
                    ("password", "Mot de passe", 8),
                    ("button", "Se connecter"),
                    ("!link", "Mot de passe oublié ?"),
                ),
            ),
            step(
                "Indiquez votre adresse e-mail",
                "<p>Tapez l'adresse e-mail de votre compte et touchez <b>Envoyer le lien</b> "
                "(ou <b>Valider</b>). Le site vous envoie un message avec un lien.</p>",
                "Page « Réinitialiser votre mot de passe » avec l'adresse e-mail remplie. Le "
                "bouton « Envoyer le lien » est entouré.",
                phone(
                    "Mot de passe oublié",
                    ("title", "Réinitialiser votre mot de passe"),
                    ("text", "Nous allons vous envoyer un lien par e-mail."),
                    ("field", "Adresse e-mail", EMAIL),
                    ("!button", "Envoyer le lien"),
                ),
            ),
            step(
                "Ouvrez le message reçu",
                "<p>Ouvrez votre messagerie. Le message arrive en général en moins de cinq "
                "minutes. Vous ne le voyez pas ? Regardez dans le dossier <b>Spam</b> ou "
                "<b>Courrier indésirable</b>.</p>",
                "Boîte de réception avec un message « Réinitialisation de votre mot de passe », "
                "entouré.",
                phone(
                    "Boîte de réception",
                    ("!mail", "Ma mutuelle", "Réinitialisation de votre mot de passe"),
                    ("mail", "Léa", "Photos du week-end"),
                    ("mail", "La Poste", "Votre colis est livré"),
                    accent=GOOGLE,
                ),
                tip="Le lien ne marche souvent que pendant une heure ou deux : utilisez-le sans "
                "attendre.",
            ),
            step(
                "Touchez le lien",
                "<p>Dans le message, touchez le bouton ou le lien proposé. Il ouvre la page du "
                "site où vous allez choisir un nouveau mot de passe.</p>",
                "Message « Réinitialisation de votre mot de passe » ouvert. Le bouton « Choisir "
                "un nouveau mot de passe » est entouré.",
                phone(
                    "Message",
                    ("title", "Réinitialisation de votre mot de passe"),
                    (
                        "text",
                        "Bonjour, vous avez demandé à changer votre mot de passe. Touchez le "
                        "bouton ci-dessous.",
                    ),
                    ("!button", "Choisir un nouveau mot de passe"),
                    ("small", "Vous n'avez rien demandé ? Ignorez ce message."),
                    accent=GOOGLE,
                ),
                warning="Vous recevez ce genre de message sans avoir rien demandé ? Ne touchez "
                "pas le lien : c'est peut-être une arnaque. Supprimez-le.",
            ),
            step(
                "Choisissez un nouveau mot de passe",
                "<p>Tapez un nouveau mot de passe, puis une seconde fois pour confirmer. "
                "Choisissez-en un que vous n'utilisez nulle part ailleurs : si un site se fait "
                "pirater, vos autres comptes restent protégés.</p>",
                "Formulaire avec deux cases de mot de passe remplies et l'indication « Mot de "
                "passe fort ». Le bouton Enregistrer est entouré.",
                phone(
                    "Nouveau mot de passe",
                    ("password", "Nouveau mot de passe", 12),
                    ("password", "Confirmez le mot de passe", 12),
                    ("notice", "Mot de passe fort", "ok"),
                    ("!button", "Enregistrer"),
                ),
                tip="Le petit œil à droite de la case affiche ce que vous tapez : pratique pour "
                "vérifier.",
            ),
            step(
                "Reconnectez-vous et notez-le",
                "<p>Reconnectez-vous tout de suite avec le nouveau mot de passe pour vérifier "
                "qu'il marche. Notez-le dans votre carnet de mots de passe, rangé chez vous.</p>",
                "Message de confirmation « Votre mot de passe a été modifié ». Le bouton Se "
                "connecter est entouré.",
                phone(
                    "Connexion",
                    ("notice", "Votre mot de passe a été modifié.", "ok"),
                    ("field", "Adresse e-mail", EMAIL),
                    ("!button", "Se connecter"),
                ),
            ),
        ],
    },
    {
        "slug": "envoyer-une-photo-par-e-mail",
        "title": "Envoyer une photo par e-mail",
        "summary": (
            "Envoyer une photo de famille, ou la photo d'un document demandé par un organisme : "
            "depuis votre téléphone, joignez-la à un e-mail en quelques gestes."
        ),
        "what_you_need": (
            "<ul><li>Un smartphone avec l'application Gmail (ou votre messagerie "
            "habituelle)</li>"
            "<li>La photo à envoyer, déjà prise et rangée dans votre galerie</li>"
            "<li>L'adresse e-mail de la personne</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S2.2"), ("socle", "S2.4"), ("crcn", "2.2")],
        "themes": ["e-mail", "gerer-ses-contenus-numeriques"],
        "audiences": ["seniors", "adultes"],
        "last_reviewed": "2026-10-12",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "karim.haddad",
        "steps": [
            step(
                "Ouvrez votre messagerie",
                "<p>Touchez l'icône de votre messagerie sur l'écran d'accueil, par exemple "
                "<b>Gmail</b> (un « M » de couleurs).</p>",
                "Écran d'accueil d'un téléphone. L'icône Gmail est entourée.",
                phone("Écran d'accueil", ("icons", HOME_ICONS, 2)),
            ),
            step(
                "Commencez un nouveau message",
                "<p>En bas à droite, touchez le bouton <b>Nouveau message</b> (un crayon).</p>",
                "Boîte de réception Gmail avec deux messages. Le bouton « Nouveau message » est "
                "entouré.",
                phone(
                    "Boîte de réception",
                    ("mail", "Léa", "Photos du week-end"),
                    ("mail", "Mairie", "Inscriptions au repas des aînés"),
                    ("!button", "Nouveau message"),
                    accent=GOOGLE,
                ),
            ),
            step(
                "Indiquez le destinataire et l'objet",
                "<p>Dans la case <b>À</b>, tapez l'adresse e-mail de la personne. Dans "
                "<b>Objet</b>, écrivez en quelques mots de quoi il s'agit, par exemple « Photos "
                "de Noël ».</p>",
                "Nouveau message : la case À contient lea.morel@gmail.com, la case Objet "
                "contient « Photos de Noël ». Le clavier est ouvert.",
                phone(
                    "Nouveau message",
                    ("field", "À", "lea.morel@gmail.com"),
                    ("!field", "Objet", "Photos de Noël"),
                    ("keypad",),
                    accent=GOOGLE,
                ),
                tip="La personne est dans vos contacts ? Tapez les premières lettres de son nom : "
                "son adresse vous est proposée.",
            ),
            step(
                "Touchez le trombone",
                "<p>En haut de l'écran, touchez l'icône du <b>trombone</b>, puis <b>Joindre un "
                "fichier</b>. Le trombone veut toujours dire « pièce jointe ».</p>",
                "Nouveau message rempli. Le bouton du trombone, « Joindre un fichier », est "
                "entouré.",
                phone(
                    "Nouveau message",
                    ("field", "À", "lea.morel@gmail.com"),
                    ("field", "Objet", "Photos de Noël"),
                    ("!button2", "Joindre un fichier"),
                    accent=GOOGLE,
                ),
            ),
            step(
                "Choisissez la photo",
                "<p>Votre galerie s'ouvre. Touchez la photo à envoyer. Elle apparaît ensuite en "
                "bas du message, en petit.</p>",
                "Galerie de neuf photos. La photo du milieu est entourée.",
                phone("Photos", ("photos", 9, 4), ("small", "Touchez une photo pour la joindre")),
                tip="Pour un document (avis d'imposition, justificatif), prenez la photo à plat, "
                "bien éclairée, sans reflet, et vérifiez qu'on lit tout.",
            ),
            step(
                "Écrivez votre message",
                "<p>Touchez la grande zone vide sous l'objet et écrivez quelques mots : un "
                "bonjour, ce que vous envoyez, votre nom.</p>",
                "Nouveau message avec le texte « Bonjour Léa, voici les photos du repas de "
                "Noël. Bises, Mamie » et la pièce jointe photo-noel.jpg.",
                phone(
                    "Nouveau message",
                    ("field", "À", "lea.morel@gmail.com"),
                    ("field", "Objet", "Photos de Noël"),
                    ("!text", "Bonjour Léa, voici les photos du repas de Noël. Bises, Mamie"),
                    ("small", "Pièce jointe : photo-noel.jpg (1,8 Mo)"),
                    accent=GOOGLE,
                ),
            ),
            step(
                "Envoyez",
                "<p>Touchez l'icône <b>Envoyer</b> (une flèche ou un avion en papier), en haut "
                "à droite. Le message part avec la photo. Vous le retrouvez dans le dossier "
                "<b>Messages envoyés</b>.</p>",
                "Message prêt à partir. Le bouton Envoyer est entouré ; dessous, la confirmation "
                "« Message envoyé ».",
                phone(
                    "Nouveau message",
                    ("small", "Pièce jointe : photo-noel.jpg (1,8 Mo)"),
                    ("!button", "Envoyer"),
                    ("notice", "Message envoyé", "ok"),
                    accent=GOOGLE,
                ),
                warning="Un e-mail est limité à environ 25 Mo. Pour beaucoup de photos, "
                "envoyez-les en plusieurs messages.",
            ),
        ],
    },
    {
        "slug": "installer-une-application-sur-son-telephone",
        "title": "Installer une application sur son téléphone",
        "summary": (
            "Ameli, WhatsApp, l'application de votre banque : pour les installer sans risque, "
            "passez toujours par le magasin d'applications de votre téléphone, Play Store sur "
            "Android, App Store sur iPhone."
        ),
        "what_you_need": (
            "<ul><li>Un smartphone connecté à internet, de préférence en wifi</li>"
            "<li>Votre compte Google (Android) ou votre identifiant Apple (iPhone), et son mot "
            "de passe</li><li>Le nom exact de l'application</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S1.4"), ("crcn", "5.2")],
        "themes": ["prendre-en-main-du-materiel"],
        "audiences": ["seniors", "adultes", "jeunes"],
        "last_reviewed": "2026-07-15",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "camille.martin",
        "steps": [
            step(
                "Ouvrez le Play Store",
                "<p>Sur un téléphone Android, touchez l'icône <b>Play Store</b> (un triangle de "
                "couleurs). Sur un iPhone, touchez <b>App Store</b> (un « A » blanc sur fond "
                "bleu) : les étapes sont les mêmes.</p>",
                "Écran d'accueil d'un téléphone. L'icône Play Store est entourée.",
                phone("Écran d'accueil", ("icons", HOME_ICONS, 3)),
            ),
            step(
                "Cherchez l'application",
                "<p>Touchez la barre de recherche en haut et tapez le nom de l'application, par "
                "exemple « ameli ». Touchez ensuite la loupe du clavier.</p>",
                "Google Play avec « ameli » tapé dans la barre de recherche, entourée. Le clavier "
                "est ouvert.",
                phone(
                    "Google Play",
                    ("!field", "Rechercher des applications", "ameli"),
                    ("keypad",),
                    accent=PLAY,
                ),
            ),
            step(
                "Vérifiez que c'est la bonne",
                "<p>Plusieurs applications peuvent se ressembler. Regardez le nom de "
                "l'<b>éditeur</b>, écrit sous le titre : pour Ameli, c'est « Assurance "
                "Maladie ». Touchez la bonne application.</p>",
                "Deux résultats de recherche : « ameli, l'Assurance Maladie » par Assurance "
                "Maladie, entouré, et une application imitation d'un éditeur inconnu.",
                phone(
                    "Google Play",
                    ("!card", "ameli, l'Assurance Maladie", "Éditeur : Assurance Maladie"),
                    (
                        "card",
                        "Ameli Astuces Remboursement",
                        "Éditeur inconnu – Contient des annonces",
                    ),
                    accent=PLAY,
                ),
                warning="Les applications officielles des services publics sont gratuites. "
                "Méfiez-vous d'une application qui imite un service public et vous demande de "
                "payer.",
            ),
            step(
                "Touchez « Installer »",
                "<p>Touchez le bouton vert <b>Installer</b> (sur iPhone : <b>Obtenir</b>). Le "
                "téléphone peut vous demander le mot de passe de votre compte Google ou Apple, "
                "ou votre empreinte digitale.</p>",
                "Page de l'application « ameli, l'Assurance Maladie » dans Google Play. Le bouton "
                "Installer est entouré.",
                phone(
                    "Google Play",
                    ("title", "ameli, l'Assurance Maladie"),
                    ("small", "Assurance Maladie"),
                    ("!button", "Installer"),
                    accent=PLAY,
                ),
            ),
            step(
                "Patientez pendant le téléchargement",
                "<p>Une barre de progression s'affiche. Selon la connexion, cela prend de "
                "quelques secondes à quelques minutes. Restez en wifi si possible.</p>",
                "Page de l'application pendant le téléchargement, avec l'indication « "
                "Téléchargement… 64 % » et un bouton Annuler.",
                phone(
                    "Google Play",
                    ("title", "ameli, l'Assurance Maladie"),
                    ("notice", "Téléchargement… 64 %", "info"),
                    ("button2", "Annuler"),
                    accent=PLAY,
                ),
            ),
            step(
                "Ouvrez l'application",
                "<p>Quand c'est fini, touchez <b>Ouvrir</b>. L'icône de l'application est aussi "
                "ajoutée à vos applications : la prochaine fois, touchez simplement cette "
                "icône.</p>",
                "Écran d'accueil où la nouvelle icône Ameli est apparue. Elle est entourée.",
                phone(
                    "Écran d'accueil",
                    (
                        "icons",
                        ("Téléphone", "Messages", "Gmail", "Play Store", "Photos", "Ameli"),
                        5,
                    ),
                ),
                tip="Pour supprimer une application : appuyez longuement sur son icône, puis "
                "choisissez « Désinstaller ».",
            ),
        ],
    },
    {
        "slug": "creer-son-compte-ameli",
        "title": "Créer son compte Ameli",
        "summary": (
            "Le compte ameli permet de suivre vos remboursements de soins, de télécharger une "
            "attestation de droits ou de signaler un changement, sans vous déplacer. Voici "
            "comment le créer."
        ),
        "what_you_need": (
            "<ul><li>Votre carte Vitale, pour le numéro de sécurité sociale</li>"
            "<li>Un relevé d'identité bancaire (RIB) du compte où vous recevez vos "
            "remboursements</li><li>Votre adresse e-mail et votre téléphone portable</li></ul>"
        ),
        "difficulty": "intermediaire",
        "competences": [("socle", "S3.3"), ("socle", "S3.2"), ("crcn", "2.4")],
        "themes": ["sante", "demarches-social-sante", "aide-aux-demarches-administratives"],
        "audiences": ["adultes", "seniors", "parents"],
        "last_reviewed": "2026-06-30",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "sophie.petit",
        "steps": [
            step(
                "Allez sur ameli.fr",
                "<p>Dans votre navigateur, tapez <b>ameli.fr</b>. En haut à droite, cliquez sur "
                "<b>Compte ameli</b>.</p>",
                "Page d'accueil d'ameli.fr. Le bouton « Compte ameli » est entouré.",
                browser(
                    "ameli.fr",
                    "www.ameli.fr",
                    ("title", "Bienvenue sur ameli.fr"),
                    ("text", "Le site de l'Assurance Maladie"),
                    ("!button", "Compte ameli"),
                    accent=AMELI,
                ),
            ),
            step(
                "Cliquez sur « Créer mon compte »",
                "<p>Sous la zone de connexion, cliquez sur <b>Créer mon compte</b>. Si vous avez "
                "un compte impots.gouv.fr, vous pouvez aussi passer par <b>FranceConnect</b> : "
                "c'est plus rapide.</p>",
                "Page de connexion au compte ameli. Le bouton « Créer mon compte » est entouré.",
                browser(
                    "Compte ameli",
                    "assure.ameli.fr",
                    ("title", "Compte ameli"),
                    ("field", "Numéro de sécurité sociale", ""),
                    ("button", "Je me connecte"),
                    ("!button2", "Créer mon compte"),
                    accent=AMELI,
                ),
            ),
            step(
                "Indiquez votre numéro de sécurité sociale",
                "<p>Tapez les 13 chiffres de votre numéro de sécurité sociale, écrits sur votre "
                "carte Vitale, sans les 2 derniers chiffres séparés (la clé). Indiquez ensuite "
                "votre date de naissance et votre code postal.</p>",
                "Formulaire de création de compte : numéro de sécurité sociale, date de "
                "naissance 14/03/1956 et code postal 85000. Le bouton Continuer est entouré.",
                browser(
                    "Compte ameli",
                    "assure.ameli.fr",
                    ("title", "Création de compte"),
                    ("field", "Numéro de sécurité sociale (13 chiffres)", "2 56 03 44 109 087"),
                    ("field", "Date de naissance", "14/03/1956"),
                    ("field", "Code postal", "85000"),
                    ("!button", "Continuer"),
                    accent=AMELI,
                ),
            ),
            step(
                "Confirmez votre identité avec votre RIB",
                "<p>Pour vérifier que c'est bien vous, le site demande les derniers caractères "
                "de votre <b>IBAN</b>, écrit sur votre RIB. Recopiez-les exactement.</p>",
                "Page « Vérification de votre identité » avec une case pour la fin de l'IBAN. "
                "Le bouton Continuer est entouré.",
                browser(
                    "Compte ameli",
                    "assure.ameli.fr",
                    ("title", "Vérification de votre identité"),
                    (
                        "text",
                        "Saisissez la fin de l'IBAN du compte où vous recevez vos remboursements.",
                    ),
                    ("field", "Fin de votre IBAN", "4567 89"),
                    ("!button", "Continuer"),
                    accent=AMELI,
                ),
                tip="Si l'Assurance Maladie ne connaît pas votre RIB, elle vous envoie un code "
                "provisoire par courrier sous quelques jours : gardez-le pour terminer "
                "l'inscription.",
            ),
            step(
                "Indiquez votre e-mail et votre téléphone",
                "<p>Tapez votre adresse e-mail et votre numéro de portable. Un e-mail de "
                "confirmation vous est envoyé : ouvrez-le et cliquez sur le lien qu'il contient "
                "pour valider votre adresse.</p>",
                "Formulaire avec l'adresse e-mail et le numéro de portable remplis. Le bouton "
                "Continuer est entouré.",
                browser(
                    "Compte ameli",
                    "assure.ameli.fr",
                    ("title", "Vos coordonnées"),
                    ("field", "Adresse e-mail", EMAIL),
                    ("field", "Téléphone portable", "06 12 34 56 78"),
                    ("!button", "Continuer"),
                    accent=AMELI,
                ),
            ),
            step(
                "Choisissez votre mot de passe",
                "<p>Choisissez un mot de passe et tapez-le deux fois. Notez-le dans votre "
                "carnet. Ensuite, vous vous connecterez avec votre numéro de sécurité sociale et "
                "ce mot de passe.</p>",
                "Formulaire « Choisissez votre mot de passe » avec deux cases remplies. Le "
                "bouton Valider est entouré.",
                browser(
                    "Compte ameli",
                    "assure.ameli.fr",
                    ("title", "Choisissez votre mot de passe"),
                    ("password", "Mot de passe", 12),
                    ("password", "Confirmation", 12),
                    ("!button", "Valider"),
                    accent=AMELI,
                ),
                warning="L'Assurance Maladie ne vous demande jamais votre mot de passe ni vos "
                "coordonnées bancaires par e-mail ou par SMS.",
            ),
            step(
                "Découvrez votre compte",
                "<p>Votre compte est prêt. Consultez vos remboursements dans <b>Mes "
                "paiements</b>, téléchargez une attestation de droits dans <b>Mes "
                "démarches</b>, ou écrivez à votre caisse depuis <b>Ma messagerie</b>.</p>",
                "Compte ameli créé, avec les rubriques Mes paiements, Mes démarches, Ma "
                "messagerie et Mes informations.",
                browser(
                    "Compte ameli",
                    "assure.ameli.fr/accueil",
                    ("notice", "Votre compte est créé.", "ok"),
                    (
                        "list",
                        ("Mes paiements", "Mes démarches", "Ma messagerie", "Mes informations"),
                    ),
                    accent=AMELI,
                ),
                tip="Installez aussi l'application ameli sur votre téléphone : elle utilise les "
                "mêmes identifiants.",
            ),
        ],
    },
    {
        "slug": "faire-ses-courses-en-ligne-en-securite",
        "title": "Faire ses courses en ligne en sécurité",
        "summary": (
            "Faire ses courses sur internet évite de porter des sacs lourds. Voici les bons "
            "réflexes pour commander au drive ou en livraison et payer sans risque."
        ),
        "what_you_need": (
            "<ul><li>Un ordinateur, une tablette ou un téléphone connecté à internet</li>"
            "<li>Une adresse e-mail</li>"
            "<li>Votre carte bancaire et votre téléphone portable, pour valider le "
            "paiement</li></ul>"
        ),
        "difficulty": "intermediaire",
        "competences": [("socle", "S4.1"), ("crcn", "4.1"), ("crcn", "2.4")],
        "themes": ["banque-et-achats-en-ligne", "securite-numerique"],
        "audiences": ["seniors", "adultes", "handicap"],
        "last_reviewed": "2026-09-30",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "julien.bernard",
        "steps": [
            step(
                "Choisissez un site connu",
                "<p>Passez par le site de l'enseigne où vous faites déjà vos courses : tapez son "
                "adresse vous-même ou cherchez son nom dans un moteur de recherche. Méfiez-vous "
                "des publicités qui promettent des prix incroyables.</p>",
                "Site d'un supermarché : « Vos courses en drive ou en livraison », avec le code "
                "postal 85000. Le bouton « Choisir mon magasin » est entouré.",
                browser(
                    "Mon supermarché",
                    "www.exemple-supermarche.fr",
                    ("title", "Vos courses en drive ou en livraison"),
                    ("field", "Code postal de votre magasin", "85000"),
                    ("!button", "Choisir mon magasin"),
                    accent=SHOP,
                ),
            ),
            step(
                "Vérifiez l'adresse et le cadenas",
                "<p>Avant de payer, regardez la barre d'adresse : elle doit commencer par "
                "<b>https://</b>, avec un <b>cadenas</b>, et le nom du site doit être exactement "
                "celui de l'enseigne, sans lettre en trop.</p>",
                "La barre d'adresse du navigateur, avec le cadenas et l'adresse du site, est "
                "entourée.",
                browser(
                    "Mon supermarché",
                    "https://www.exemple-supermarche.fr",
                    (
                        "notice",
                        "Le cadenas et l'adresse exacte de l'enseigne : on peut continuer.",
                        "ok",
                    ),
                    ("title", "Vos courses en drive ou en livraison"),
                    accent=SHOP,
                    url_highlight=True,
                ),
                warning="Le cadenas ne suffit pas : un faux site peut en avoir un. Vérifiez "
                "aussi que l'adresse est bien la bonne.",
            ),
            step(
                "Créez votre compte client",
                "<p>Indiquez votre adresse e-mail et choisissez un mot de passe différent de "
                "celui de votre messagerie. Ne donnez que les informations demandées pour la "
                "livraison.</p>",
                "Formulaire « Créer mon compte » : adresse e-mail, mot de passe et adresse de "
                "livraison. Le bouton « Créer mon compte » est entouré.",
                browser(
                    "Mon supermarché",
                    "https://www.exemple-supermarche.fr/compte",
                    ("title", "Créer mon compte"),
                    ("field", "Adresse e-mail", EMAIL),
                    ("password", "Mot de passe", 12),
                    ("field", "Adresse", "8 rue des Lilas, 85000 La Roche-sur-Yon"),
                    ("!button", "Créer mon compte"),
                    accent=SHOP,
                ),
            ),
            step(
                "Remplissez votre panier",
                "<p>Cherchez vos produits avec la barre de recherche ou par rayon, puis cliquez "
                "sur <b>Ajouter au panier</b>. Vous pouvez changer les quantités jusqu'au "
                "paiement.</p>",
                "Rayon produits laitiers avec le lait demi-écrémé à 1,09 euro. Le bouton "
                "« Ajouter au panier » est entouré.",
                browser(
                    "Mon supermarché",
                    "https://www.exemple-supermarche.fr/rayons",
                    ("title", "Produits laitiers"),
                    ("card", "Lait demi-écrémé, 1 litre", "1,09 €"),
                    ("!button", "Ajouter au panier"),
                    ("card", "Yaourts nature, 8 pots", "2,35 €"),
                    accent=SHOP,
                ),
                tip="Beaucoup de sites gardent la liste de vos achats : la prochaine fois, vous "
                "recommanderez en quelques clics.",
            ),
            step(
                "Choisissez le retrait ou la livraison",
                "<p>Choisissez le <b>drive</b> (vous passez chercher vos sacs au magasin, "
                "souvent gratuitement) ou la <b>livraison</b> à domicile, souvent payante. "
                "Choisissez ensuite un créneau horaire.</p>",
                "Choix du créneau : drive le jeudi 3 décembre de 10 h à 11 h, entouré, ou "
                "livraison le vendredi 4 décembre.",
                browser(
                    "Mon supermarché",
                    "https://www.exemple-supermarche.fr/creneaux",
                    ("title", "Quand souhaitez-vous vos courses ?"),
                    (
                        "list",
                        (
                            "Drive – jeudi 3 décembre, 10 h – 11 h (gratuit)",
                            "Livraison – vendredi 4 décembre, 14 h – 16 h (5,90 €)",
                        ),
                        0,
                    ),
                    accent=SHOP,
                ),
            ),
            step(
                "Payez avec votre carte",
                "<p>Tapez le numéro de votre carte, sa date de fin de validité et les 3 chiffres "
                "au dos. Votre banque vous demande ensuite de confirmer le paiement dans son "
                "application ou avec un code reçu par SMS.</p>",
                "Page « Paiement sécurisé » avec le numéro de carte masqué et la date "
                "d'expiration. Le bouton « Payer 48,60 € » est entouré.",
                browser(
                    "Paiement sécurisé",
                    "https://paiement.exemple-supermarche.fr",
                    ("title", "Paiement sécurisé"),
                    ("field", "Numéro de carte", "4970 •••• •••• 1234"),
                    ("field", "Date d'expiration", "08/28"),
                    ("!button", "Payer 48,60 €"),
                    accent=SHOP,
                ),
                warning="Votre banque ne vous demande jamais de valider un paiement que vous "
                "n'avez pas fait. Une demande inattendue ? Refusez-la et appelez votre banque.",
            ),
            step(
                "Gardez la confirmation",
                "<p>Un message confirme votre commande, avec son numéro, le montant et le "
                "créneau choisi. Vous recevez aussi un e-mail : gardez-le jusqu'à la réception "
                "de vos courses.</p>",
                "Confirmation « Commande confirmée n° 20461 » et, dessous, l'e-mail de "
                "confirmation reçu.",
                browser(
                    "Mon supermarché",
                    "https://www.exemple-supermarche.fr/commande",
                    ("notice", "Commande confirmée n° 20461 – drive jeudi 3 décembre, 10 h", "ok"),
                    ("mail", "Mon supermarché", "Confirmation de votre commande n° 20461"),
                    accent=SHOP,
                ),
            ),
        ],
    },
    {
        "slug": "regler-la-taille-du-texte-sur-son-telephone",
        "title": "Régler la taille du texte sur son téléphone",
        "summary": (
            "Les lettres sont trop petites sur votre téléphone ? Agrandissez-les pour tout le "
            "téléphone, une fois pour toutes, dans les paramètres. Cela se défait aussi "
            "facilement."
        ),
        "what_you_need": (
            "<ul><li>Votre smartphone (Android ou iPhone)</li><li>Deux minutes</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S1.2"), ("crcn", "5.2")],
        "themes": ["prendre-en-main-du-materiel"],
        "audiences": ["seniors", "handicap"],
        "last_reviewed": "2026-11-09",
        "licence": "etalab-2.0",
        "status": "live",
        "author": "karim.haddad",
        "steps": [
            step(
                "Ouvrez les paramètres",
                "<p>Touchez l'icône en forme de roue crantée : <b>Paramètres</b> sur Android, "
                "<b>Réglages</b> sur iPhone.</p>",
                "Écran d'accueil d'un téléphone. L'icône Paramètres est entourée.",
                phone("Écran d'accueil", ("icons", HOME_ICONS, 5)),
            ),
            step(
                "Touchez « Affichage »",
                "<p>Faites défiler la liste et touchez <b>Affichage</b>. Sur iPhone, touchez "
                "<b>Luminosité et affichage</b>.</p>",
                "Liste des paramètres : Connexions, Sons et vibrations, Notifications, "
                "Affichage, Accessibilité. « Affichage » est entouré.",
                phone(
                    "Paramètres",
                    (
                        "list",
                        (
                            "Connexions",
                            "Sons et vibrations",
                            "Notifications",
                            "Affichage",
                            "Accessibilité",
                        ),
                        3,
                    ),
                    accent=SETTINGS,
                ),
                tip="Vous ne trouvez pas ? Touchez la loupe en haut des paramètres et tapez "
                "« police ».",
            ),
            step(
                "Touchez « Taille et style de police »",
                "<p>Touchez <b>Taille et style de police</b>. Selon les téléphones, la ligne "
                "s'appelle « Taille de police » ou, sur iPhone, « Taille du texte ».</p>",
                "Paramètres d'affichage : Luminosité, Mode sombre, Taille et style de police, "
                "Zoom de l'écran. « Taille et style de police » est entouré.",
                phone(
                    "Affichage",
                    (
                        "list",
                        (
                            "Luminosité",
                            "Mode sombre",
                            "Taille et style de police",
                            "Zoom de l'écran",
                        ),
                        2,
                    ),
                    accent=SETTINGS,
                ),
            ),
            step(
                "Faites glisser le curseur",
                "<p>Faites glisser le rond du curseur vers la droite pour agrandir le texte. "
                "L'exemple en haut de l'écran montre le résultat. Arrêtez-vous quand vous lisez "
                "sans effort.</p>",
                "Réglage de la taille de police : un texte d'exemple au-dessus d'un curseur "
                "placé vers la droite, entouré.",
                phone(
                    "Taille de police",
                    ("title", "Exemple : voici la taille de vos messages."),
                    ("!slider", "Taille de la police", 0.8),
                    accent=SETTINGS,
                ),
            ),
            step(
                "Agrandissez aussi les boutons",
                "<p>Pour agrandir aussi les icônes et les boutons, revenez en arrière et touchez "
                "<b>Zoom de l'écran</b>. Faites glisser le curseur de la même façon.</p>",
                "Réglage « Zoom de l'écran » avec un curseur placé vers la droite, entouré.",
                phone(
                    "Zoom de l'écran",
                    ("text", "Agrandit le texte, les icônes et les boutons."),
                    ("!slider", "Zoom de l'écran", 0.6),
                    accent=SETTINGS,
                ),
                tip="Sur iPhone, pour des lettres encore plus grandes : Réglages, puis "
                "Accessibilité, puis Affichage et taille du texte, puis Police plus grande.",
            ),
        ],
    },
    {
        "slug": "scanner-un-document-avec-son-telephone",
        "title": "Scanner un document avec son téléphone",
        "summary": (
            "Une administration vous demande un justificatif en PDF ? Pas besoin de scanner : "
            "votre téléphone peut numériser un document avec l'application Google Drive sur "
            "Android (ou Notes sur iPhone)."
        ),
        "what_you_need": (
            "<ul><li>Un smartphone avec Google Drive (Android) ou Notes (iPhone)</li>"
            "<li>Le document, posé à plat sur une table claire et bien éclairée</li></ul>"
        ),
        "difficulty": "intermediaire",
        "competences": [("socle", "S2.4"), ("crcn", "3.3")],
        "themes": ["gerer-ses-contenus-numeriques", "aide-aux-demarches-administratives"],
        "audiences": ["adultes", "demandeurs-emploi"],
        "last_reviewed": "2026-11-16",
        "licence": "etalab-2.0",
        "status": "review",
        "author": "camille.martin",
        "steps": [
            step(
                "Ouvrez Google Drive",
                "<p>Touchez l'icône <b>Drive</b> (un triangle vert, jaune et bleu).</p>",
                "Écran d'accueil d'un téléphone. L'icône Drive est entourée.",
                phone(
                    "Écran d'accueil",
                    (
                        "icons",
                        ("Téléphone", "Messages", "Gmail", "Drive", "Photos", "Paramètres"),
                        3,
                    ),
                ),
            ),
            step(
                "Touchez « Numériser »",
                "<p>Touchez l'icône de l'appareil photo en bas à droite, ou le bouton <b>+</b> "
                "puis <b>Numériser</b>. L'appareil photo s'ouvre.</p>",
                "Menu « Nouveau » de Google Drive : Dossier, Importer, Numériser. « Numériser » "
                "est entouré.",
                phone(
                    "Drive",
                    ("title", "Nouveau"),
                    ("list", ("Dossier", "Importer", "Numériser"), 2),
                    accent=GOOGLE,
                ),
            ),
            step(
                "Cadrez et prenez la photo",
                "<p>Tenez le téléphone bien au-dessus du document, parallèle à la table. Quand "
                "les bords sont repérés, touchez le bouton rond.</p>",
                "Écran de l'appareil photo : la consigne « Placez le document dans le cadre », "
                "le document cadré, et le bouton de prise de vue entouré.",
                phone(
                    "Numériser",
                    ("notice", "Placez le document dans le cadre", "info"),
                    ("card", "Avis d'impôt", "Document posé à plat, bien éclairé"),
                    ("!button", "Prendre la photo"),
                    accent=GOOGLE,
                ),
                tip="Évitez l'ombre de votre main ou du téléphone sur la feuille.",
            ),
            step(
                "Ajoutez les autres pages",
                "<p>Pour un document de plusieurs pages, touchez <b>+</b> pour photographier la "
                "suivante. Quand c'est fini, touchez <b>Enregistrer</b>.</p>",
                "Deux pages numérisées, avec les boutons « Ajouter une page » et Enregistrer, "
                "entouré.",
                phone(
                    "Numériser",
                    ("photos", 2),
                    ("button2", "Ajouter une page"),
                    ("!button", "Enregistrer"),
                    accent=GOOGLE,
                ),
            ),
            step(
                "Nommez et envoyez le PDF",
                "<p>Donnez un nom clair au fichier, par exemple « Avis impôt 2026 ». Le document "
                "est enregistré en PDF dans votre Drive : vous pouvez l'envoyer par e-mail ou "
                "le déposer sur le site qui vous le demande.</p>",
                "Écran « Enregistrer dans Drive » avec le nom de fichier Avis-impot-2026.pdf. "
                "Le bouton Enregistrer est entouré.",
                phone(
                    "Enregistrer dans Drive",
                    ("field", "Nom du fichier", "Avis-impot-2026.pdf"),
                    ("field", "Dossier", "Mon Drive"),
                    ("!button", "Enregistrer"),
                    accent=GOOGLE,
                ),
            ),
        ],
    },
    {
        "slug": "se-connecter-a-un-reseau-wifi",
        "title": "Se connecter à un réseau wifi",
        "summary": (
            "Le wifi de votre box internet permet d'utiliser internet sur votre téléphone sans "
            "consommer votre forfait. Il suffit de le connecter une fois : le téléphone s'en "
            "souvient."
        ),
        "what_you_need": (
            "<ul><li>Votre smartphone</li><li>Votre box internet : le nom du réseau et la "
            "<b>clé wifi</b> sont écrits sur une étiquette dessous ou derrière</li></ul>"
        ),
        "difficulty": "debutant",
        "competences": [("socle", "S1.2"), ("crcn", "5.2")],
        "themes": ["prendre-en-main-du-materiel", "navigation-sur-internet"],
        "audiences": ["seniors", "adultes"],
        "last_reviewed": None,
        "licence": "etalab-2.0",
        "status": "draft",
        "author": "julien.bernard",
        "steps": [
            step(
                "Ouvrez les paramètres du wifi",
                "<p>Ouvrez les <b>Paramètres</b> (ou <b>Réglages</b>) et touchez <b>Wi-Fi</b>, "
                "parfois rangé dans <b>Connexions</b>.</p>",
                "Liste des connexions : Wi-Fi, Bluetooth, Mode avion, Données mobiles. « Wi-Fi » "
                "est entouré.",
                phone(
                    "Connexions",
                    ("list", ("Wi-Fi", "Bluetooth", "Mode avion", "Données mobiles"), 0),
                    accent=SETTINGS,
                ),
            ),
            step(
                "Activez le wifi",
                "<p>Si l'interrupteur est gris, touchez-le pour activer le wifi : il devient bleu "
                "ou vert. La liste des réseaux proches apparaît.</p>",
                "Écran Wi-Fi avec la case « Wi-Fi activé » cochée et entourée.",
                phone(
                    "Wi-Fi",
                    ("!check", "Wi-Fi activé"),
                    ("small", "Recherche des réseaux…"),
                    accent=SETTINGS,
                ),
            ),
            step(
                "Choisissez votre réseau",
                "<p>Touchez le nom de votre réseau, celui écrit sur l'étiquette de votre box "
                "(par exemple « Livebox-4A2C »).</p>",
                "Liste des réseaux wifi disponibles. Livebox-4A2C est entouré.",
                phone(
                    "Wi-Fi",
                    ("list", ("Livebox-4A2C", "SFR_B71E", "Bbox-89F1", "FreeWifi_secure"), 0),
                    accent=SETTINGS,
                ),
            ),
            step(
                "Tapez la clé wifi",
                "<p>Recopiez la clé wifi de l'étiquette, en respectant les majuscules et les "
                "minuscules. Touchez l'œil pour voir ce que vous tapez, puis <b>Se "
                "connecter</b>.</p>",
                "Case « Mot de passe » du réseau Livebox-4A2C, remplie et entourée, avec le "
                "clavier ouvert.",
                phone(
                    "Livebox-4A2C",
                    ("!field", "Mot de passe", "e7Kq3mTzUx9P"),
                    ("button", "Se connecter"),
                    ("keypad",),
                    accent=SETTINGS,
                ),
                warning="Un 0 (zéro) et un O (lettre) se ressemblent : regardez bien l'étiquette.",
            ),
            step(
                "Vérifiez la connexion",
                "<p>Sous le nom du réseau, le mot <b>Connecté</b> s'affiche. Votre téléphone se "
                "reconnectera tout seul la prochaine fois.</p>",
                "Écran Wi-Fi : le réseau Livebox-4A2C est marqué « Connecté ».",
                phone(
                    "Wi-Fi",
                    ("notice", "Livebox-4A2C : connecté", "ok"),
                    ("list", ("SFR_B71E", "Bbox-89F1")),
                    accent=SETTINGS,
                ),
                tip="Dans un lieu public (gare, café), évitez de consulter votre banque sur un "
                "wifi ouvert à tous.",
            ),
        ],
    },
]
