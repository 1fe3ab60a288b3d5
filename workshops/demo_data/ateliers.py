"""Demo atelier curricula: session plans a counsellor can run as they are, or adapt.

`plan` is a list of (title, minutes, HTML description) whose minutes add up to the
atelier's duration. `notes` are facilitator notes: counsellors only, never public.
`handout` is drawn as a one-page PDF and attached as a Wagtail document.
"""

ATELIERS = [
    {
        "slug": "premiers-pas-avec-son-smartphone",
        "title": "Premiers pas avec son smartphone",
        "summary": (
            "Un atelier pour apprivoiser son téléphone : l'allumer, le déverrouiller, maîtriser "
            "les gestes de base, agrandir le texte et appeler un proche. Chacun vient avec son "
            "propre téléphone."
        ),
        "audiences": ["seniors", "adultes", "allophones"],
        "level": "debutant",
        "duration_minutes": 120,
        "group_size": (4, 8),
        "prerequisites": (
            "Aucun. Venir avec son smartphone chargé et son code de déverrouillage noté sur papier."
        ),
        "objectives": (
            "<ul><li>Allumer, éteindre, déverrouiller et recharger son téléphone</li>"
            "<li>Maîtriser les gestes : toucher, appui long, glisser, pincer pour agrandir</li>"
            "<li>Agrandir le texte pour lire confortablement</li>"
            "<li>Appeler un proche et enregistrer un contact</li></ul>"
        ),
        "competences": [("socle", "S1.2"), ("socle", "S1.3"), ("socle", "S1.4"), ("crcn", "5.1")],
        "themes": ["prendre-en-main-du-materiel"],
        "equipment": (
            "Les smartphones des participants, chargés ; deux téléphones de prêt (Android) ; "
            "chargeurs et une multiprise ; un vidéoprojecteur avec recopie de l'écran du "
            "téléphone de l'animateur ; les fiches imprimées en gros caractères."
        ),
        "plan": [
            (
                "Accueil et tour de table",
                10,
                "<p>Chacun dit quel téléphone il a, ce qu'il sait déjà faire et ce qu'il "
                "aimerait apprendre. Notez les attentes au tableau pour y revenir à la fin.</p>",
            ),
            (
                "Allumer, éteindre, recharger",
                15,
                "<p>Repérer les boutons sur le côté, allumer, déverrouiller avec le code, "
                "éteindre. Brancher le chargeur et lire le niveau de batterie.</p>",
            ),
            (
                "Les gestes de base",
                25,
                "<p>Toucher, appui long, glisser, pincer pour agrandir : démonstration au "
                "vidéoprojecteur, puis chacun s'entraîne en faisant défiler une page et en "
                "agrandissant une photo.</p>",
            ),
            ("Pause", 10, "<p>Café, questions individuelles.</p>"),
            (
                "Bien voir son écran",
                20,
                "<p>Régler la taille du texte et la luminosité, en suivant la fiche « Régler la "
                "taille du texte sur son téléphone ».</p>",
            ),
            (
                "Appeler et enregistrer un contact",
                25,
                "<p>Ouvrir l'application Téléphone, composer un numéro, raccrocher. Enregistrer "
                "le numéro d'un voisin de table comme contact, puis l'appeler depuis la liste.</p>",
            ),
            (
                "Bilan",
                15,
                "<p>Retour sur les attentes du début. Chacun repart avec le mémo des gestes et "
                "une fiche à refaire chez soi.</p>",
            ),
        ],
        "notes": (
            "<p>Prévoyez du temps pour les codes oubliés : rappelez la veille aux participants "
            "d'apporter leur code noté sur papier. Gardez les téléphones de prêt pour ceux dont "
            "l'appareil est trop ancien ou en panne.</p>"
            "<p>Ne touchez pas le téléphone d'un participant sans lui demander : montrez sur le "
            "vôtre et laissez-le faire. Les personnes qui ont des tremblements réussissent "
            "mieux le glissement avec l'index posé à plat.</p>"
        ),
        "related_guides": [
            "regler-la-taille-du-texte-sur-son-telephone",
            "installer-une-application-sur-son-telephone",
        ],
        "licence": "etalab-2.0",
        "status": "live",
        "author": "karim.haddad",
        "handout": (
            "Mémo : les gestes du smartphone",
            "À garder près de son téléphone",
            [
                (
                    "Les quatre gestes",
                    [
                        "Toucher : une pression brève pour ouvrir.",
                        "Appui long : laisser le doigt une seconde pour voir plus de choix.",
                        "Glisser : faire défiler la page vers le haut ou vers le bas.",
                        "Pincer : écarter deux doigts pour agrandir, les rapprocher pour réduire.",
                    ],
                ),
                (
                    "Les boutons",
                    [
                        "Le bouton sur le côté allume l'écran ; un appui long pour éteindre.",
                        "Le rond ou le trait en bas de l'écran ramène à l'accueil.",
                    ],
                ),
                ("Pour bien voir", ["Paramètres, puis Affichage, puis Taille de police."]),
            ],
        ),
    },
    {
        "slug": "creer-et-utiliser-son-adresse-e-mail",
        "title": "Créer et utiliser son adresse e-mail",
        "summary": (
            "Créer sa propre adresse e-mail, savoir la retrouver, lire ses messages et envoyer "
            "un e-mail avec une pièce jointe : la base pour toutes les démarches en ligne."
        ),
        "audiences": ["seniors", "adultes", "demandeurs-emploi"],
        "level": "debutant",
        "duration_minutes": 120,
        "group_size": (3, 6),
        "prerequisites": (
            "Savoir utiliser la souris et le clavier, ou l'écran tactile. Venir avec son "
            "téléphone portable pour recevoir le code de vérification."
        ),
        "objectives": (
            "<ul><li>Créer son adresse e-mail et la noter correctement</li>"
            "<li>Se connecter à sa messagerie sur l'ordinateur et sur le téléphone</li>"
            "<li>Lire un message et y répondre</li>"
            "<li>Envoyer un e-mail avec une pièce jointe</li></ul>"
        ),
        "competences": [("socle", "S2.1"), ("socle", "S2.2"), ("crcn", "2.1")],
        "themes": ["e-mail"],
        "equipment": (
            "Un ordinateur par personne ; les téléphones des participants ; un petit carnet par "
            "personne pour noter adresse et mot de passe ; un vidéoprojecteur ; l'adresse "
            "e-mail de l'animateur pour les envois d'essai."
        ),
        "plan": [
            (
                "À quoi sert une adresse e-mail ?",
                15,
                "<p>Échange : qui a déjà une adresse, à quoi elle sert (messages, mais aussi "
                "impôts, Ameli, CAF). Différence entre l'adresse et le mot de passe.</p>",
            ),
            (
                "Créer son adresse pas à pas",
                35,
                "<p>Chacun crée son adresse en suivant la fiche « Créer une adresse e-mail ». "
                "L'animateur passe vérifier que l'adresse et le mot de passe sont bien notés.</p>",
            ),
            ("Pause", 10, "<p>Pause.</p>"),
            (
                "Lire et répondre",
                20,
                "<p>L'animateur envoie un message à chacun. On l'ouvre, on le lit, on répond "
                "avec le bouton Répondre.</p>",
            ),
            (
                "Envoyer une pièce jointe",
                25,
                "<p>Envoyer une photo à l'animateur, d'abord depuis le téléphone, puis depuis "
                "l'ordinateur, avec la fiche « Envoyer une photo par e-mail ».</p>",
            ),
            (
                "Bilan",
                15,
                "<p>Chacun se reconnecte seul à sa messagerie pour vérifier qu'il a bien noté "
                "ses identifiants.</p>",
            ),
        ],
        "notes": (
            "<p>Google peut refuser de créer plus de quelques comptes par jour depuis la même "
            "connexion : au-delà de 4 ou 5 personnes, faites créer les comptes depuis les "
            "téléphones en 4G.</p><p>Vérifiez que chacun repart avec son adresse et son mot "
            "de passe notés dans son carnet : c'est la première cause de retour en "
            "permanence.</p>"
        ),
        "related_guides": [
            "creer-une-adresse-e-mail",
            "envoyer-une-photo-par-e-mail",
            "retrouver-un-mot-de-passe-oublie",
        ],
        "licence": "etalab-2.0",
        "status": "live",
        "author": "camille.martin",
        "handout": (
            "Mémo : mon adresse e-mail",
            "Atelier « Créer et utiliser son adresse e-mail »",
            [
                (
                    "Mon adresse",
                    [
                        "Elle s'écrit sans espace ni accent, avec un @ (arobase) au milieu.",
                        "Je la note dans mon carnet, lettre par lettre.",
                    ],
                ),
                (
                    "Envoyer un e-mail",
                    [
                        "Nouveau message, puis l'adresse de la personne dans « À ».",
                        "Un objet court et quelques mots de message.",
                        "Le trombone pour ajouter une pièce jointe.",
                        "Envoyer.",
                    ],
                ),
                (
                    "Sécurité",
                    [
                        "Je ne donne jamais mon mot de passe, même à quelqu'un qui dit appeler "
                        "de ma banque.",
                    ],
                ),
            ],
        ),
    },
    {
        "slug": "se-proteger-des-arnaques-en-ligne",
        "title": "Se protéger des arnaques en ligne",
        "summary": (
            "Faux SMS, faux conseillers bancaires, faux sites : apprendre à reconnaître les "
            "arnaques les plus courantes, à ne pas se laisser presser et à savoir quoi faire "
            "si l'on s'est fait piéger."
        ),
        "audiences": ["seniors", "adultes", "jeunes"],
        "level": "debutant",
        "duration_minutes": 90,
        "group_size": (4, 12),
        "prerequisites": "Avoir un téléphone portable ou une adresse e-mail.",
        "objectives": (
            "<ul><li>Reconnaître un SMS ou un e-mail frauduleux</li>"
            "<li>Savoir vérifier une information par un autre moyen</li>"
            "<li>Signaler une arnaque (33700, cybermalveillance.gouv.fr)</li>"
            "<li>Savoir réagir après avoir donné ses coordonnées bancaires</li></ul>"
        ),
        "competences": [("socle", "S4.1"), ("socle", "S4.2"), ("crcn", "4.1"), ("crcn", "4.2")],
        "themes": ["securite-numerique"],
        "equipment": (
            "Un vidéoprojecteur ; une sélection de vrais messages frauduleux anonymisés "
            "(captures d'écran) ; des cartons « vrai » et « faux » pour le quiz ; les "
            "téléphones des participants."
        ),
        "plan": [
            (
                "Accueil",
                10,
                "<p>Avez-vous déjà reçu un message bizarre ? Chacun raconte, sans jugement.</p>",
            ),
            (
                "Quiz : vrai ou faux ?",
                25,
                "<p>On projette huit messages réels anonymisés. Chacun lève son carton, puis on "
                "cherche ensemble les indices : expéditeur, urgence, lien, demande d'argent.</p>",
            ),
            (
                "Les signes qui doivent alerter",
                15,
                "<p>Récapituler au tableau les indices trouvés. Lire ensemble la fiche "
                "« Reconnaître un SMS frauduleux ».</p>",
            ),
            (
                "Que faire ?",
                20,
                "<p>Ne pas cliquer, vérifier par soi-même, signaler au 33700, bloquer le numéro. "
                "Chacun transfère un faux SMS d'exemple au 33700 avec l'animateur.</p>",
            ),
            (
                "Protéger ses comptes",
                10,
                "<p>Un mot de passe différent par compte important, et jamais de code reçu par "
                "SMS donné au téléphone.</p>",
            ),
            ("Bilan", 10, "<p>Distribution du mémo et questions.</p>"),
        ],
        "notes": (
            "<p>Certains participants ont déjà été victimes : ne culpabilisez jamais, rappelez "
            "que les escrocs sont des professionnels. Si quelqu'un a donné ses coordonnées "
            "bancaires récemment, aidez-le à appeler sa banque pendant la pause.</p>"
            "<p>Renouvelez les exemples du quiz chaque trimestre avec les alertes de "
            "cybermalveillance.gouv.fr.</p>"
        ),
        "related_guides": [
            "reconnaitre-un-sms-frauduleux",
            "faire-ses-courses-en-ligne-en-securite",
            "retrouver-un-mot-de-passe-oublie",
        ],
        "licence": "cc-by-sa-4.0",
        "status": "live",
        "author": "julien.bernard",
        "handout": (
            "Mémo : les bons réflexes contre les arnaques",
            "Atelier « Se protéger des arnaques en ligne »",
            [
                (
                    "Les signes qui alertent",
                    [
                        "Un message urgent ou menaçant.",
                        "Un lien vers une adresse bizarre.",
                        "Une demande de code, de mot de passe ou de numéro de carte.",
                    ],
                ),
                (
                    "Que faire",
                    [
                        "Ne pas cliquer, ne pas répondre.",
                        "Vérifier en ouvrant moi-même le site ou l'application officielle.",
                        "Signaler un SMS en le transférant au 33700.",
                        "Coordonnées bancaires données : appeler ma banque ou le 0 892 705 705.",
                    ],
                ),
                ("Pour en savoir plus", ["cybermalveillance.gouv.fr"]),
            ],
        ),
    },
    {
        "slug": "faire-ses-demarches-en-ligne-avec-franceconnect",
        "title": "Faire ses démarches en ligne avec FranceConnect",
        "summary": (
            "Se connecter aux sites publics (CAF, retraite, ANTS, France Travail) avec un seul "
            "compte grâce à FranceConnect, et vérifier que son espace impots.gouv.fr ou ameli "
            "fonctionne."
        ),
        "audiences": ["adultes", "seniors", "demandeurs-emploi"],
        "level": "intermediaire",
        "duration_minutes": 120,
        "group_size": (3, 6),
        "prerequisites": (
            "Avoir une adresse e-mail qui fonctionne et en connaître le mot de passe. Apporter "
            "son dernier avis d'impôt et sa carte Vitale."
        ),
        "objectives": (
            "<ul><li>Comprendre à quoi sert FranceConnect</li>"
            "<li>Se connecter à son espace impots.gouv.fr ou ameli</li>"
            "<li>Utiliser FranceConnect pour accéder à un autre service public</li>"
            "<li>Savoir où trouver de l'aide pour une démarche compliquée</li></ul>"
        ),
        "competences": [("socle", "S3.3"), ("socle", "S3.2"), ("crcn", "2.4")],
        "themes": ["aide-aux-demarches-administratives", "demarches-papiers"],
        "equipment": (
            "Un ordinateur par personne ; un vidéoprojecteur ; les avis d'impôt et cartes "
            "Vitale des participants ; la liste des espaces France Services du secteur."
        ),
        "plan": [
            (
                "Accueil et besoins",
                15,
                "<p>Quelles démarches chacun doit-il faire ? Quels comptes a-t-il déjà ?</p>",
            ),
            (
                "FranceConnect, c'est quoi ?",
                15,
                "<p>Démonstration au vidéoprojecteur : le bouton, le choix du compte, les "
                "informations transmises.</p>",
            ),
            (
                "Vérifier son compte impots.gouv.fr",
                30,
                "<p>Chacun se connecte à son espace particulier, ou le crée avec son avis "
                "d'impôt.</p>",
            ),
            ("Pause", 10, "<p>Pause.</p>"),
            (
                "Se connecter à un autre service",
                30,
                "<p>Avec la fiche « Utiliser FranceConnect », chacun se connecte à un service "
                "dont il a besoin : CAF, info-retraite, ANTS.</p>",
            ),
            (
                "Bilan et relais",
                20,
                "<p>Où trouver de l'aide : permanences, France Services. Distribution du mémo.</p>",
            ),
        ],
        "notes": (
            "<p>Ne tapez jamais les mots de passe à la place des personnes et ne les notez pas "
            "pour elles : rappelez-le en début de séance.</p><p>Pour une personne sans avis "
            "d'impôt, passez par ameli.fr ou proposez un rendez-vous en permanence. Pour une "
            "démarche urgente ou complexe, orientez vers l'espace France Services le plus "
            "proche.</p>"
        ),
        "related_guides": [
            "utiliser-franceconnect",
            "declarer-ses-revenus-en-ligne",
            "creer-son-compte-ameli",
        ],
        "licence": "etalab-2.0",
        "status": "live",
        "author": "camille.martin",
        "handout": (
            "Mémo : FranceConnect",
            "Atelier « Faire ses démarches en ligne avec FranceConnect »",
            [
                (
                    "FranceConnect, c'est quoi ?",
                    [
                        "Un bouton pour se connecter aux sites publics avec un compte que l'on "
                        "a déjà.",
                    ],
                ),
                (
                    "Comment faire",
                    [
                        "Cliquer sur « S'identifier avec FranceConnect ».",
                        "Choisir impots.gouv.fr ou ameli.fr.",
                        "Taper l'identifiant et le mot de passe de ce compte.",
                        "Vérifier ses informations, puis cliquer sur « Continuer ».",
                    ],
                ),
                (
                    "Besoin d'aide ?",
                    ["Les permanences numériques et les espaces France Services, gratuits."],
                ),
            ],
        ),
    },
    {
        "slug": "garder-le-lien-avec-ses-proches-en-visio",
        "title": "Garder le lien avec ses proches en visio",
        "summary": (
            "Installer WhatsApp, enregistrer les numéros de sa famille et passer son premier "
            "appel vidéo : un atelier pour voir ses proches, même de loin."
        ),
        "audiences": ["seniors", "parents"],
        "level": "debutant",
        "duration_minutes": 90,
        "group_size": (4, 8),
        "prerequisites": (
            "Savoir déverrouiller son smartphone et toucher une icône. Venir avec le numéro de "
            "téléphone d'un ou deux proches."
        ),
        "objectives": (
            "<ul><li>Installer et activer WhatsApp</li>"
            "<li>Enregistrer le numéro de ses proches</li>"
            "<li>Passer et recevoir un appel vidéo</li></ul>"
        ),
        "competences": [("socle", "S2.3"), ("socle", "S1.4"), ("crcn", "2.1")],
        "themes": ["reseaux-sociaux", "prendre-en-main-du-materiel"],
        "equipment": (
            "Les smartphones des participants ; le wifi du lieu (code affiché) ; un "
            "vidéoprojecteur ; deux salles ou deux coins séparés pour les appels d'essai."
        ),
        "plan": [
            ("Accueil", 10, "<p>Qui voulez-vous appeler ? Où vivent vos proches ?</p>"),
            (
                "Installer WhatsApp",
                25,
                "<p>Installation depuis le Play Store ou l'App Store, activation avec le code "
                "reçu par SMS, choix d'un nom et d'une photo.</p>",
            ),
            (
                "Enregistrer ses contacts",
                15,
                "<p>Ajouter le numéro d'un proche et celui d'un voisin de table.</p>",
            ),
            (
                "Appels vidéo d'essai",
                25,
                "<p>Deux par deux, dans deux pièces : lancer l'appel, couper le micro, retourner "
                "la caméra, raccrocher. Puis on échange les rôles.</p>",
            ),
            ("Bilan", 15, "<p>Questions, distribution du mémo.</p>"),
        ],
        "notes": (
            "<p>L'activation de WhatsApp demande un code reçu par SMS : vérifiez que chacun a "
            "son téléphone et du réseau. Faites les appels d'essai dans deux pièces différentes "
            "pour éviter l'effet Larsen.</p><p>En fin de séance, ceux qui ont prévenu un "
            "proche peuvent l'appeler pour de vrai : c'est souvent le moment le plus fort de "
            "l'atelier.</p>"
        ),
        "related_guides": [
            "faire-une-visio-avec-ses-petits-enfants",
            "installer-une-application-sur-son-telephone",
        ],
        "licence": "cc-by-sa-4.0",
        "status": "live",
        "author": "sophie.petit",
        "handout": (
            "Mémo : appeler en visio avec WhatsApp",
            "Atelier « Garder le lien avec ses proches en visio »",
            [
                (
                    "Appeler",
                    [
                        "J'ouvre WhatsApp et je touche le nom de la personne.",
                        "Je touche la caméra (pas le combiné).",
                        "Je tiens le téléphone droit, face à moi.",
                    ],
                ),
                (
                    "Pendant l'appel",
                    [
                        "Le micro coupe ou remet le son.",
                        "Le bouton rouge raccroche.",
                    ],
                ),
                ("Astuce", ["En wifi, l'appel ne consomme pas mon forfait."]),
            ],
        ),
    },
    {
        "slug": "sa-sante-en-ligne-ameli-et-rendez-vous",
        "title": "Sa santé en ligne : compte ameli et rendez-vous médicaux",
        "summary": (
            "Créer son compte ameli, consulter ses remboursements, télécharger une attestation "
            "et prendre un rendez-vous médical en ligne, en gardant ses données de santé "
            "protégées."
        ),
        "audiences": ["seniors", "adultes", "parents"],
        "level": "intermediaire",
        "duration_minutes": 120,
        "group_size": (3, 6),
        "prerequisites": (
            "Avoir une adresse e-mail et en connaître le mot de passe. Apporter sa carte Vitale "
            "et un RIB."
        ),
        "objectives": (
            "<ul><li>Créer ou ouvrir son compte ameli</li>"
            "<li>Consulter ses remboursements et télécharger une attestation de droits</li>"
            "<li>Prendre et annuler un rendez-vous médical en ligne</li></ul>"
        ),
        "competences": [("socle", "S3.4"), ("socle", "S3.3"), ("crcn", "2.4")],
        "themes": ["sante", "demarches-social-sante"],
        "equipment": (
            "Un ordinateur par personne, placé pour que les écrans ne soient pas visibles des "
            "voisins ; un vidéoprojecteur ; les cartes Vitale et RIB des participants."
        ),
        "plan": [
            ("Accueil et besoins", 10, "<p>Qui a déjà un compte ameli ? Un médecin traitant ?</p>"),
            (
                "Créer ou ouvrir son compte ameli",
                35,
                "<p>Avec la fiche « Créer son compte Ameli », ou par FranceConnect pour ceux qui "
                "ont un compte impots.gouv.fr.</p>",
            ),
            (
                "Remboursements et attestation",
                20,
                "<p>Trouver un remboursement dans « Mes paiements », télécharger une attestation "
                "de droits en PDF.</p>",
            ),
            ("Pause", 10, "<p>Pause.</p>"),
            (
                "Prendre un rendez-vous en ligne",
                30,
                "<p>Avec la fiche « Prendre rendez-vous chez le médecin en ligne » : chercher, "
                "choisir un créneau, puis annuler tout de suite.</p>",
            ),
            ("Bilan", 15, "<p>Questions, distribution du mémo.</p>"),
        ],
        "notes": (
            "<p>Pour l'exercice de prise de rendez-vous, choisissez un créneau lointain et "
            "faites annuler immédiatement : ne bloquez pas les plannings des médecins du "
            "secteur.</p><p>Quand la caisse ne connaît pas le RIB, le code provisoire arrive "
            "par courrier : proposez un rendez-vous en permanence pour terminer.</p>"
        ),
        "related_guides": [
            "creer-son-compte-ameli",
            "prendre-rendez-vous-chez-le-medecin-en-ligne",
            "installer-une-application-sur-son-telephone",
        ],
        "licence": "etalab-2.0",
        "status": "live",
        "author": "sophie.petit",
        "handout": (
            "Mémo : ma santé en ligne",
            "Atelier « Sa santé en ligne : compte ameli et rendez-vous médicaux »",
            [
                (
                    "Mon compte ameli",
                    [
                        "Je me connecte avec mon numéro de sécurité sociale et mon mot de passe.",
                        "Mes paiements : mes remboursements.",
                        "Mes démarches : une attestation de droits.",
                    ],
                ),
                (
                    "Mes rendez-vous",
                    [
                        "Je vérifie l'adresse du cabinet avant de confirmer.",
                        "Je ne peux pas venir : j'annule pour libérer la place.",
                    ],
                ),
                (
                    "Prudence",
                    ["L'Assurance Maladie ne demande jamais mon mot de passe par e-mail ou SMS."],
                ),
            ],
        ),
    },
    {
        "slug": "decouvrir-l-intelligence-artificielle",
        "title": "Découvrir l'intelligence artificielle au quotidien",
        "summary": (
            "Ce que sont les assistants d'intelligence artificielle, ce qu'ils savent faire, "
            "leurs erreurs et les précautions à prendre avec ses données personnelles."
        ),
        "audiences": ["adultes", "jeunes", "demandeurs-emploi"],
        "level": "intermediaire",
        "duration_minutes": 90,
        "group_size": (4, 10),
        "prerequisites": "Savoir naviguer sur internet.",
        "objectives": (
            "<ul><li>Comprendre en mots simples ce qu'est une IA générative</li>"
            "<li>Poser une question à un assistant et vérifier sa réponse</li>"
            "<li>Repérer une image truquée</li></ul>"
        ),
        "competences": [("crcn", "1.1"), ("crcn", "4.2")],
        "themes": ["intelligence-artificielle", "culture-numerique"],
        "equipment": "Un ordinateur par binôme ; un vidéoprojecteur.",
        "plan": [
            ("Accueil : l'IA, qu'en savez-vous ?", 15, "<p>Tour de table.</p>"),
            (
                "Démonstration",
                20,
                "<p>Poser une question à un assistant et comparer sa réponse avec une source "
                "officielle.</p>",
            ),
            (
                "Exercice : une lettre avec l'IA",
                25,
                "<p>Par deux : faire rédiger une lettre de résiliation, puis la relire et la "
                "corriger.</p>",
            ),
            (
                "Les limites",
                20,
                "<p>Erreurs inventées, données personnelles à ne pas confier, images truquées.</p>",
            ),
            ("Bilan", 10, "<p>Questions.</p>"),
        ],
        "notes": (
            "<p>Brouillon : choisir un assistant utilisable sans compte, ou préparer des "
            "comptes d'atelier. Ne jamais faire saisir de données personnelles réelles.</p>"
        ),
        "related_guides": ["reconnaitre-un-sms-frauduleux"],
        "licence": "etalab-2.0",
        "status": "draft",
        "author": "julien.bernard",
        "handout": (
            "Mémo : l'intelligence artificielle",
            "Atelier « Découvrir l'intelligence artificielle au quotidien »",
            [
                (
                    "Les bons réflexes",
                    [
                        "Je vérifie une réponse importante sur un site officiel.",
                        "Je ne confie ni mes codes ni mes informations de santé.",
                    ],
                )
            ],
        ),
    },
]
