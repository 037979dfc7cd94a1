"""Given names that open a person's name in Turkish political news.

The small English model reads many Turkish, Kurdish and Arabic names as organisations or places
("Ümit Dikbayır resigned" as an organisation). A name of two or three words that opens with one of
these given names, and does not end in an institution's head noun, is a person. The list is
curated, not complete: the most frequent given names of Türkiye's politicians, officials,
journalists and defendants, with a few Arabic and Kurdish ones common in the same news.
"""

from __future__ import annotations

import re

from pipeline.nlp.kb import fold

_GIVEN = """
Abdullah Abdulhamit Abdulkadir Abdurrahman Adnan Ahmet Ahmed Akın Alaattin Ali Alican Alparslan
Arif Aslı Atilla Ayhan Aykut Aylin Aynur Ayşe Ayşegül Aysel Aziz Bahar Barış Batuhan Bayram Bedri
Bekir Berat Berk Betül Bilal Binali Birgül Bülent Burak Burcu Cahit Can Canan Cem Cemal Cemil
Cengiz Cevdet Cihan Coşkun Çağlar Deniz Derya Dilek Duygu Ebru Ece Ekrem Elif Emine
Emre Engin Enis Erdal Eren Ergün Erhan Erkan Ersin Ertuğrul Esra Fahrettin Faik Fatih
Fatma Feride Ferhat Feyza Figen Filiz Fikri Fuat Gamze Garo Gökçe Gökhan Gönül Gülistan Gülsüm
Gürsel Hacı Hakan Halil Halis Haluk Hamza Hande Hasan Hatice Hayri Hilal Hülya Hüseyin İbrahim
İhsan İlhan İlker İlyas İpek İrfan İsa İshak İsmail İsmet Kadir Kamil Kaan Kemal Kenan Kerem
Leyla Levent Mahir Mahmut Mansur Mazlum Mehmet Melike Meral Merve Mesut Metin Mevlüt Mithat Muammer
Muharrem Murat Musa Mustafa Müsavat Nazlı Necati Necdet Nedim Nihat Nilüfer Numan Nurettin Nureddin
Oğuz Oğuzhan Okan Onur Orhan Osman Ozan Ömer Önder Özgür Özlem Pervin Ramazan Recep Rıza Rukiye
Sadettin Sadık Saim Salih Sebahat Sedat Sedef Selahattin Selçuk Selim Selin Selma Semra Serdar
Serkan Sevda Sevgi Sevim Sezgin Sibel Sinan Sırrı Süleyman Şebnem Şenol Şükrü Tanju Tarık Temel
Tuncay Tuncer Tunç Turgay Turgut Tülay Ufuk Uğur Ümit Ünal Vahap Veli Volkan Yakup Yaşar Yavuz
Yılmaz Yusuf Zafer Zehra Zeki Zeynep Ziya Zülfü
Ahu Aysun Bahri Berna Burhan Canset Cavit Cenk Cüneyt Demet Dursun Ercan Erol Esat Eyüp Faruk
Fidan Gülay Gülten Güler Hacer Hakkı Hamit Haydar Hikmet Hrant Hurşit İlknur Kazım Kübra Lütfi
Melih Mehmed Metehan Muzaffer Naci Nail Nazan Necmettin Nesrin Nevzat Nuray Nurcan Oya
Özcan Özkan Rahmi Reşat Rüstem Saadet Sabri Sadri Safiye Sami Savaş Seda Selda Serap Serpil
Sevgül Sezai Suat Şahin Şakir Şerafettin Şeyma Talat Taner Tayfun Tekin Tolga Tuba Tuğba Tuğrul
Utku Vedat Yasin Yıldız Yunus Zübeyde
Akif Alper Bahadır Baki Bünyamin Celal Davut Dilan Ebubekir Emel Ertan Fevzi Gülşen Hamdi Hilmi
Hulusi Kürşad Mücahit Nebi Nuri Pınar Rabia Rauf Sait Selami Songül Süreyya Şule Tahsin Tamer
Tufan Tülin Ülkü Veysel Yalçın Yiğit Zekeriya Zuhal
Azad Baran Berivan Delal Feleknas Gültan Hişyar Rojda Rojin Ruken Sakine Şiyar Welat Zilan
Adem Anıl Aytaç Berkay Cemile Cihat Emrah Erdem Esin Eşref Fazıl Ferit Fethi Gülnur Habib Halim
Hayrettin Hüsnü İlhami Kemalettin Lokman Mahinur Mazhar Muhittin Mukadder Münir Nazım Nazmi Necla
Nejat Nevin Nezih Niyazi Nusret Ömür Rıdvan Rıfat Semih Serdal Sinem Şener Şeref Tacettin Taha
Tahir Talip Teoman Tevfik Timur Vural Yahya Zeliha Zerrin Zihni
"""

_GIVEN_LIST = _GIVEN.split()
GIVEN_NAMES = frozenset(fold(n) for n in _GIVEN_LIST)

# A given name of the list and one or two capitalised words after it, as written ("Leyla Güven");
# "Can" is left out here, being also an English word that opens questions.
GIVEN_NAME_RE = re.compile(
    r"(?<![\w'-])(?:"
    + "|".join(sorted((n for n in _GIVEN_LIST if n != "Can"), key=len, reverse=True))
    + r")(?:[ \t]+[A-ZÇĞİÖŞÜ][\w'-]*[\w]){1,2}"
)

# Surname endings no place or body has ("İmamoğlu", "Hatimoğulları"): -oğlu, -oğulları.
SURNAME_ENDINGS = ("oglu", "ogullari")


def opens_with_given_name(name: str) -> bool:
    """Whether a written name's first word is a given name of the list ("Ümit Dikbayır")."""
    words = name.split()
    return len(words) >= 2 and fold(words[0]) in GIVEN_NAMES


def ends_with_surname(name: str) -> bool:
    """Whether a written name of two or more words ends in a Turkish surname ending."""
    words = name.split()
    return len(words) >= 2 and fold(words[-1]).endswith(SURNAME_ENDINGS)
