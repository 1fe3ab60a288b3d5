"""Demo versions of the pages every French public site publishes, linked from the footer:
mentions légales, déclaration d'accessibilité (RGAA), politique de confidentialité.

Plain French, for the people helped. Where the operator's own facts go (its name, address,
host, contacts), the text says « exemple de démonstration » instead of inventing them, and
each page opens with a note telling the coordinator what to replace and where. The
controller and the DPO come from PRIVACY_CONTROLLER / PRIVACY_DPO_CONTACT when set, and the
retention period from RETENTION_MONTHS, as loaded; the pages are then ordinary content the
coordinator edits in the admin (Pages > Accueil > the page).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape

from home.models import ContentPage, HomePage
from home.templatetags.site_tags import long_date
from learners.services.bookings_privacy import (
    APPOINTMENT_ERASE_DAYS_AFTER_HANDLED,
    APPOINTMENT_ERASE_MONTHS_UNHANDLED,
)

OPERATOR = "Vendée Numérique (exemple de démonstration)"
CONTACT_EMAIL = "contact@vendee-numerique.example"
ACCESSIBILITY_EMAIL = "accessibilite@vendee-numerique.example"
DPO_EMAIL = "dpo@vendee-numerique.example"
NOT_SET = "À renseigner"  # how base settings' PRIVACY_* defaults begin

DEMO_NOTE = (
    "<p><b>Page de démonstration.</b> Les passages marqués « exemple de démonstration » "
    "sont à remplacer par les informations de votre structure avant la mise en ligne : dans "
    "l'administration, menu « Pages », ouvrez « Accueil », puis cette page ; modifiez-la et "
    "publiez-la.</p>"
)


def _configured(value: str) -> str | None:
    return None if not value or value.startswith(NOT_SET) else value


def _controller() -> str:
    return escape(_configured(settings.PRIVACY_CONTROLLER) or OPERATOR)


def _dpo() -> str:
    configured = _configured(settings.PRIVACY_DPO_CONTACT)
    if configured:
        return escape(configured)
    return f"{DPO_EMAIL} (adresse de démonstration)"


def _months(count: int) -> str:
    return f"{count} mois"


def legal_notice() -> dict:
    return {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "intro": "Qui publie ce site, qui l'héberge, et ce que vous pouvez réutiliser.",
        "footer_order": 10,
        "body": DEMO_NOTE + "<h2>Qui publie ce site ?</h2>"
        f"<p>{OPERATOR}.</p>"
        "<ul><li>Adresse : adresse postale de la structure (exemple de démonstration).</li>"
        f"<li>Courriel : {CONTACT_EMAIL} (adresse de démonstration).</li>"
        "<li>Numéro SIRET : à indiquer (exemple de démonstration).</li></ul>"
        "<h2>Directeur ou directrice de la publication</h2>"
        "<p>Nom et fonction de la personne responsable de ce qui est publié, par exemple la "
        "présidence de la structure (exemple de démonstration).</p>"
        "<h2>Hébergement</h2>"
        "<p>Nom, adresse et numéro de téléphone de l'hébergeur du site (exemple de "
        "démonstration : à remplacer par ceux de votre hébergeur).</p>"
        "<h2>Réutiliser les fiches et les ateliers</h2>"
        "<p>Les fiches pratiques et les déroulés d'ateliers sont publiés sous la licence "
        "indiquée sur chacun, le plus souvent la Licence Ouverte Etalab 2.0 : vous pouvez "
        "les imprimer, les copier et les adapter, à condition de citer leur source.</p>"
        "<h2>Vos données et l'accessibilité</h2>"
        '<ul><li><a href="/politique-de-confidentialite/">Politique de confidentialité</a> : '
        "ce que nous gardons sur vous et vos droits.</li>"
        '<li><a href="/accessibilite/">Déclaration d\'accessibilité</a> : ce qui fonctionne, '
        "ce qui ne fonctionne pas encore, et comment nous le signaler.</li></ul>"
        "<h2>Logiciel</h2>"
        "<p>Ce site fonctionne avec Pas à pas, un logiciel construit avec Django et "
        "Wagtail.</p>",
    }


def accessibility_statement() -> dict:
    with translation.override("fr"):
        established = long_date(timezone.localdate())
    return {
        "slug": "accessibilite",
        "title": "Accessibilité",
        "intro": (
            "Ce que nous faisons pour que tout le monde puisse utiliser ce site, ce qui n'est "
            "pas encore accessible, et comment nous signaler un problème."
        ),
        "footer_order": 20,
        "body": DEMO_NOTE + "<h2>Déclaration d'accessibilité</h2>"
        f"<p>{OPERATOR} s'engage à rendre ses sites internet accessibles, comme le demande "
        "l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration "
        "s'applique au site Pas à pas.</p>"
        "<h2>État de conformité</h2>"
        "<p>Ce site est <b>non conforme</b> au référentiel général d'amélioration de "
        "l'accessibilité (RGAA), version 4.1 : aucun audit complet n'a encore été "
        "réalisé, et le RGAA demande alors d'indiquer « non conforme ». Les vérifications "
        "ci-dessous sont faites à chaque modification du site.</p>"
        "<h2>Comment nous l'avons vérifié</h2>"
        "<ul><li>Chaque sorte de page publique (accueil, fiches pratiques, ateliers, "
        "recherche, carnet de progression, pages d'information, page introuvable) est "
        "testée automatiquement dans le navigateur Chromium avec l'outil axe-core à chaque "
        "modification du logiciel : aucune erreur n'est détectée.</li>"
        "<li>Des tests automatiques vérifient aussi l'usage au clavier seul, le texte "
        "agrandi et l'affichage sur un petit écran de téléphone.</li>"
        "<li>Ces tests ne couvrent qu'une partie des 106 critères du RGAA. Aucun audit "
        "complet n'a encore été fait par une personne spécialisée.</li></ul>"
        "<p>Note pour la structure qui publie ce site (exemple de démonstration) : faites "
        "réaliser un audit RGAA et remplacez l'état de conformité par son résultat (taux "
        "de conformité, date, organisme).</p>"
        "<h2>Ce qui n'est pas encore accessible</h2>"
        "<ul><li>Les documents à télécharger (PDF, traitement de texte) déposés par les "
        "conseillers ne sont pas tous accessibles : demandez-nous une version adaptée.</li>"
        "<li>Les images des fiches sont décrites par les personnes qui les écrivent : une "
        "description peut manquer ou être incomplète.</li>"
        "<li>L'espace d'administration réservé aux professionnels n'a pas été "
        "évalué.</li></ul>"
        "<h2>Établissement de cette déclaration</h2>"
        f"<p>Déclaration établie le {established} (exemple de démonstration).</p>"
        "<ul><li>Technologies utilisées : HTML, CSS et JavaScript (le site reste utilisable "
        "sans JavaScript).</li>"
        "<li>Outils de test : navigateur Chromium, axe-core, navigation au clavier.</li></ul>"
        "<h2>Signaler un problème</h2>"
        "<p>Si vous n'arrivez pas à lire une page ou à utiliser un service du site, "
        "dites-le-nous : nous vous donnerons l'information sous une autre forme et nous "
        "corrigerons le site.</p>"
        f"<ul><li>Par courriel : {ACCESSIBILITY_EMAIL} (adresse de démonstration).</li>"
        "<li>En le disant à votre conseiller ou conseillère numérique, lors d'un atelier ou "
        "d'une permanence.</li></ul>"
        "<h2>Si vous n'obtenez pas de réponse</h2>"
        "<p>Si vous nous avez signalé un problème et que la réponse ne vous convient pas, "
        "vous pouvez vous adresser au Défenseur des droits, gratuitement :</p>"
        '<ul><li>en écrivant un message au Défenseur des droits <a href="https://formulaire.'
        'defenseurdesdroits.fr/">par le formulaire en ligne</a> ;</li>'
        "<li>en rencontrant le délégué ou la déléguée du Défenseur des droits près de chez "
        'vous (<a href="https://www.defenseurdesdroits.fr/saisir/delegues">liste des '
        "délégués</a>) ;</li>"
        "<li>en envoyant un courrier par la poste, gratuit, sans timbre : Défenseur des "
        "droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li></ul>",
    }


def _agenda_section() -> str:
    """What the public agenda collects (sign-up, waiting list, appointment request), why,
    who sees it, how long (the durations of `learners.services.bookings_privacy`), how to
    cancel and erase, and the SMS provider as processor."""
    retention = _months(settings.RETENTION_MONTHS)
    handled_days = APPOINTMENT_ERASE_DAYS_AFTER_HANDLED
    unhandled = _months(APPOINTMENT_ERASE_MONTHS_UNHANDLED)
    return (
        "<h2>Quand vous vous inscrivez à un atelier ou demandez un rendez-vous</h2>"
        "<p>Pour vous inscrire à un atelier ou à une permanence depuis le site, vous n'avez "
        "pas besoin de compte. Nous vous demandons :</p>"
        "<ul><li>votre prénom, pour que le conseiller ou la conseillère vous accueille ;</li>"
        "<li>si vous le voulez, un numéro de téléphone ou une adresse e-mail, pour vous "
        "envoyer la confirmation, un rappel la veille, et vous prévenir si la séance est "
        "annulée, déplacée, ou si une place se libère pour vous sur la liste d'attente. "
        "Vous pouvez aussi ne rien laisser : vous venez simplement à la séance ;</li>"
        "<li>pour une demande de rendez-vous : vos disponibilités et, si vous voulez, "
        "l'objet de votre demande, pour que l'on vous rappelle.</li></ul>"
        "<p>Qui les voit : les conseillers et conseillères de la structure qui organise la "
        "séance ou qui reçoit au lieu choisi, et la coordination du réseau. Les autres "
        "structures ne les voient pas. Chaque consultation de la liste des inscrits est "
        "enregistrée.</p>"
        "<p>Combien de temps :</p>"
        "<ul><li>votre numéro de téléphone et votre adresse e-mail sont effacés le "
        "lendemain de la séance (pour un cycle de plusieurs séances : le lendemain de la "
        "dernière), et tout de suite si vous annulez votre inscription ;</li>"
        f"<li>votre prénom est effacé {retention} après la séance ; il ne reste alors que "
        "le nombre de personnes inscrites et venues, pour les statistiques ;</li>"
        "<li>une demande de rendez-vous est effacée "
        f"{handled_days} jours après avoir été traitée, ou {unhandled} après avoir été "
        "faite si personne ne l'a traitée.</li></ul>"
        "<p>Pour annuler ou effacer : le message de confirmation et la page de votre "
        "inscription contiennent un lien « Annuler mon inscription ». Après l'annulation, "
        "le bouton « Supprimer mes coordonnées » efface tout de suite votre prénom, votre "
        "numéro et votre adresse. Vous pouvez aussi le demander à votre conseiller ou "
        "conseillère, ou à la personne chargée de la protection des données "
        "(ci-dessous).</p>"
        "<p>Les SMS sont envoyés par un prestataire spécialisé (exemple de démonstration : "
        "indiquez son nom et son pays). Il agit seulement pour notre compte, comme "
        "« sous-traitant » au sens du RGPD : il reçoit votre numéro et le texte du message "
        "pour l'envoyer, et n'a pas le droit de s'en servir pour autre chose. Nous ne "
        "gardons pas le texte des messages envoyés, seulement leur nombre.</p>"
    )


def privacy_policy() -> dict:
    retention = _months(settings.RETENTION_MONTHS)
    threshold = settings.STATS_SUPPRESSION_THRESHOLD
    return {
        "slug": "politique-de-confidentialite",
        "title": "Politique de confidentialité",
        "intro": (
            "Quand un conseiller ou une conseillère numérique vous accompagne, il ou elle note "
            "quelques informations sur vous. Voici lesquelles, pourquoi, pendant combien de "
            "temps, et comment les voir ou les faire effacer."
        ),
        "footer_order": 30,
        "body": DEMO_NOTE + "<h2>Qui est responsable de vos informations ?</h2>"
        f"<p>{_controller()}. Chaque structure du réseau qui vous accompagne (mairie, "
        "association, médiathèque) est responsable de ce qu'elle note sur vous.</p>"
        "<h2>Ce que nous gardons</h2>"
        "<ul><li>Votre prénom, et votre nom seulement si vous le voulez bien.</li>"
        "<li>Votre année de naissance (jamais la date complète).</li>"
        "<li>Votre commune.</li>"
        "<li>Les séances que vous avez suivies : la date, le type, le thème.</li>"
        "<li>Où vous en êtes pour chaque savoir-faire, par exemple « envoyer un e-mail : "
        "acquis ».</li>"
        "<li>Votre numéro de téléphone ou votre adresse e-mail, seulement si vous voulez "
        "recevoir des rappels.</li></ul>"
        "<p>Nous n'enregistrons jamais vos mots de passe, ni le contenu de vos démarches, ni "
        "vos documents.</p>"
        "<h2>Pourquoi</h2>"
        "<ul><li>Pour bien vous accompagner : savoir ce que vous avez déjà appris et vous "
        "proposer la suite.</li>"
        "<li>Pour votre carnet de progression, que vous ouvrez avec votre code.</li>"
        "<li>Pour compter, sans vous nommer, combien de personnes le réseau aide. Ces "
        f"chiffres ne montrent jamais un groupe de moins de {threshold} personnes.</li></ul>"
        "<p>La règle qui nous y autorise (la « base légale ») est la mission d'intérêt public "
        "d'accompagnement au numérique, article 6 du règlement général sur la protection des "
        "données (RGPD) (exemple de démonstration : à confirmer par votre structure).</p>"
        "<h2>Combien de temps</h2>"
        f"<p>Vos informations sont gardées tant que vous venez. {retention.capitalize()} "
        "après votre dernière venue, elles sont rendues anonymes automatiquement : votre "
        "prénom, votre nom et vos coordonnées sont effacés ; il ne reste que des chiffres qui "
        "ne permettent pas de vous reconnaître.</p>"
        # README « Backups »: 12 monthly copies at most, so an erasure reaches them in a year.
        "<p>Le site est copié chaque nuit, pour pouvoir le réparer en cas de panne. Une "
        "information effacée ou rendue anonyme reste dans ces copies de sauvegarde un an au "
        "plus, le temps qu'elles soient détruites ; elles ne servent qu'à réparer le site.</p>"
        + _agenda_section()
        + "<h2>Qui voit vos informations</h2>"
        "<ul><li>La structure qui vous accompagne voit ce qu'elle a noté elle-même.</li>"
        "<li>Si vous allez dans une autre structure du réseau, elle ne voit rien de votre "
        "parcours, sauf si vous êtes d'accord, par exemple en lui montrant votre code de "
        "carnet. Vous pouvez retirer cet accord quand vous voulez.</li>"
        "<li>La coordination du réseau peut y accéder pour répondre à vos demandes et "
        "éviter les doublons.</li>"
        "<li>Chaque consultation de vos informations par un professionnel est "
        "enregistrée.</li>"
        "<li>Vos informations ne sont jamais vendues, ni utilisées pour de la "
        "publicité.</li></ul>"
        "<h2>Vos droits</h2>"
        "<p>Vous pouvez à tout moment :</p>"
        "<ul><li>recevoir une copie de tout ce que nous gardons sur vous ;</li>"
        "<li>faire corriger une information fausse ;</li>"
        "<li>faire effacer vos informations ;</li>"
        "<li>retirer votre accord pour les rappels.</li></ul>"
        "<p>Pour cela, demandez-le simplement à votre conseiller ou conseillère numérique, "
        "ou écrivez à la personne chargée de la protection des données (ci-dessous). Nous "
        "vous répondons dans un délai d'un mois au plus.</p>"
        "<h2>Contact</h2>"
        f"<p>Délégué ou déléguée à la protection des données : {_dpo()}.</p>"
        "<h2>Réclamation</h2>"
        "<p>Si vous pensez que vos droits ne sont pas respectés, vous pouvez adresser une "
        'réclamation à la CNIL : <a href="https://www.cnil.fr/fr/plaintes">en ligne</a> ou '
        "par courrier à CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris CEDEX 07.</p>"
        "<h2>Cookies</h2>"
        "<p>Ce site ne dépose aucun cookie de publicité ni de mesure d'audience. Il utilise "
        "seulement des cookies nécessaires à son fonctionnement, qui ne demandent pas votre "
        "accord :</p>"
        "<ul><li>« carnet » : garde votre carnet ouvert pendant votre visite. Il disparaît "
        "quand vous fermez le navigateur, après 30 minutes sans y revenir, ou quand vous "
        "cliquez sur « Fermer mon carnet ».</li>"
        "<li>« csrftoken » : protège les formulaires (par exemple celui du code du carnet) "
        "contre les envois malveillants.</li>"
        "<li>« sessionid » : seulement pour les professionnels connectés à "
        "l'administration.</li></ul>"
        "<p>La taille du texte que vous choisissez avec les boutons A+ et A- est gardée "
        "dans votre navigateur ; elle n'est pas envoyée au site.</p>",
    }


def load() -> None:
    """Creates the three pages under the home page, each once (idempotent: a page whose
    slug exists is left as the coordinator made it)."""
    home = HomePage.objects.first()
    if home is None:
        return
    for spec in (legal_notice(), accessibility_statement(), privacy_policy()):
        if home.get_children().filter(slug=spec["slug"]).exists():
            continue
        page = ContentPage(
            slug=spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            body=spec["body"],
            last_updated=timezone.localdate(),
            show_in_footer=True,
            footer_order=spec["footer_order"],
        )
        home.add_child(instance=page)
        page.save_revision().publish()
