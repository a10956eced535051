<?xml version="1.0" encoding="utf-8"?>
<!-- The journal's Atom feed (history/feeds.py) as a French page, when a browser opens it:
     what a feed is, its address to copy, and its entries. The page links the site's own
     stylesheet, found next to this file, as the site's Content Security Policy requires. -->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom"
                exclude-result-prefixes="atom">
    <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

    <!-- "/static/" from this file's own address in the feed's xml-stylesheet instruction. -->
    <xsl:variable name="static"
                  select="substring-before(substring-after(/processing-instruction('xml-stylesheet'), 'href=&quot;'), 'history/')"/>
    <xsl:variable name="feed-url" select="/atom:feed/atom:link[@rel='self']/@href"/>
    <xsl:variable name="site-url" select="/atom:feed/atom:link[@rel='alternate']/@href"/>

    <xsl:template match="/atom:feed">
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title><xsl:value-of select="atom:title"/> – flux Atom</title>
                <link rel="icon" href="{$static}img/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href="{$static}css/cop.css"/>
            </head>
            <body class="page-feed">
                <ul class="skip-links"><li><a class="skip-link" href="#contenu">Aller au contenu</a></li></ul>
                <header class="site-header">
                    <div class="container site-header__inner">
                        <a class="site-header__brand" href="/"><span class="site-header__text"><span class="site-header__name">Cahier d’objectifs partagés</span></span></a>
                    </div>
                </header>
                <main id="contenu" class="container" tabindex="-1">
                    <h1><xsl:value-of select="atom:title"/></h1>
                    <div class="message feed-explainer">
                        <div>
                            <p><strong>Cette page est un flux Atom.</strong> Un flux se lit dans un lecteur de flux (Thunderbird, Outlook, Feedly, NetNewsWire…)&#160;: copiez-y son adresse, et le lecteur vous montre chaque nouvelle évolution du COP sans que vous reveniez sur le site.</p>
                            <p class="feed-explainer__address"><label for="adresse-du-flux">Adresse du flux</label> <input id="adresse-du-flux" type="text" readonly="readonly" value="{$feed-url}"/></p>
                            <p>Le flux est réservé aux agents connectés&#160;: un lecteur qui ne sait pas se connecter au COP ne pourra pas le lire. Pour recevoir ces évolutions par e-mail, voyez plutôt <a href="/abonnements/">Mes abonnements</a>.</p>
                        </div>
                    </div>
                    <p><xsl:value-of select="atom:subtitle"/> <a href="{$site-url}">Voir les évolutions sur le site</a>.</p>
                    <h2>
                        <xsl:value-of select="count(atom:entry)"/>
                        <xsl:choose>
                            <xsl:when test="count(atom:entry) &lt; 2">&#160;évolution</xsl:when>
                            <xsl:otherwise>&#160;évolutions</xsl:otherwise>
                        </xsl:choose>
                        <xsl:text> dans ce flux</xsl:text>
                    </h2>
                    <xsl:choose>
                        <xsl:when test="atom:entry">
                            <ol class="history-list feed-entries">
                                <xsl:apply-templates select="atom:entry"/>
                            </ol>
                        </xsl:when>
                        <xsl:otherwise>
                            <p class="empty-state">Aucune publication ne correspond à ces critères.</p>
                        </xsl:otherwise>
                    </xsl:choose>
                </main>
                <footer class="site-footer">
                    <div class="container"><p><a href="/accessibilite/">Accessibilité&#160;: partiellement conforme</a></p></div>
                </footer>
            </body>
        </html>
    </xsl:template>

    <xsl:template match="atom:entry">
        <li class="history-entry">
            <h3 class="history-entry__title"><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h3>
            <p class="history-entry__meta">
                <time datetime="{atom:updated}"><xsl:call-template name="french-day"><xsl:with-param name="iso" select="atom:updated"/></xsl:call-template></time>
                <xsl:if test="atom:author/atom:name"> – <xsl:value-of select="atom:author/atom:name"/></xsl:if>
            </p>
            <!-- The summary is HTML whose every character was escaped by the feed: text only. -->
            <p><xsl:value-of select="atom:summary" disable-output-escaping="yes"/></p>
        </li>
    </xsl:template>

    <!-- "2026-04-01T09:30:00+00:00" → "1er avril 2026", as utils/typography.day writes it. The feed's
         times are in UTC: the day alone, rather than an hour that agents would misread. -->
    <xsl:template name="french-day">
        <xsl:param name="iso"/>
        <xsl:variable name="day" select="number(substring($iso, 9, 2))"/>
        <xsl:variable name="month" select="number(substring($iso, 6, 2))"/>
        <xsl:choose>
            <xsl:when test="$day = 1">1er</xsl:when>
            <xsl:otherwise><xsl:value-of select="$day"/></xsl:otherwise>
        </xsl:choose>
        <xsl:text>&#160;</xsl:text>
        <xsl:choose>
            <xsl:when test="$month = 1">janvier</xsl:when>
            <xsl:when test="$month = 2">février</xsl:when>
            <xsl:when test="$month = 3">mars</xsl:when>
            <xsl:when test="$month = 4">avril</xsl:when>
            <xsl:when test="$month = 5">mai</xsl:when>
            <xsl:when test="$month = 6">juin</xsl:when>
            <xsl:when test="$month = 7">juillet</xsl:when>
            <xsl:when test="$month = 8">août</xsl:when>
            <xsl:when test="$month = 9">septembre</xsl:when>
            <xsl:when test="$month = 10">octobre</xsl:when>
            <xsl:when test="$month = 11">novembre</xsl:when>
            <xsl:when test="$month = 12">décembre</xsl:when>
        </xsl:choose>
        <xsl:text> </xsl:text>
        <xsl:value-of select="substring($iso, 1, 4)"/>
    </xsl:template>
</xsl:stylesheet>
