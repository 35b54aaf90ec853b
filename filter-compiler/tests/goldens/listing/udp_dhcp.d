(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 12
(002) ldb      [23]
(003) jeq      #0x11            jt 4	jf 22
(004) ldh      [20]
(005) jset     #0x1fff          jt 22	jf 6
(006) ldxb     4*([14]&0xf)
(007) ldh      [x + 14]
(008) jeq      #0x43            jt 21	jf 9
(009) jeq      #0x44            jt 21	jf 10
(010) ldh      [x + 16]
(011) jeq      #0x43            jt 21	jf 20
(012) jeq      #0x86dd          jt 13	jf 22
(013) ldb      [20]
(014) jeq      #0x11            jt 15	jf 22
(015) ldh      [54]
(016) jeq      #0x43            jt 21	jf 17
(017) jeq      #0x44            jt 21	jf 18
(018) ldh      [56]
(019) jeq      #0x43            jt 21	jf 20
(020) jeq      #0x44            jt 21	jf 22
(021) ret      #262144
(022) ret      #0
